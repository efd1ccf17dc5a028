using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailSync.Grains.Timeline;
using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// One sync pass of a mailbox: INBOX and the Sent folder, each from its cursor (or the initial window), fetched in
/// batches of envelopes; each batch's timeline entries are written before its cursor is committed, so a crash
/// repeats at most one batch, and the deterministic keys make the repeat harmless.
/// </summary>
public sealed class ImapSyncEngine(
    IOptions<MailSyncOptions> options,
    ImapSessionPool sessions,
    IMailboxAuthenticator authenticator,
    ILeadResolver leads,
    ITimelineStore timeline,
    MailSyncClock clock,
    ILogger<ImapSyncEngine> logger) : IMailboxConnector
{
    /// <summary>Fallback names of the Sent folder on servers without SPECIAL-USE.</summary>
    public static readonly IReadOnlyList<string> SentFolderNames = ["Sent", "Sent Items", "Sent Messages", "[Gmail]/Sent Mail"];

    private const MessageSummaryItems FetchItems = MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.InternalDate;

    public async Task<SyncOutcome> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var pass = new Pass(clock.Time.GetTimestamp(), options.Value.MaxPassDuration);
        try
        {
            var login = await authenticator.PrepareAsync(request.Credentials, cancellationToken);
            while (true)
            {
                using var session = await sessions.AcquireAsync(request.Mailbox, request.Credentials, login, options.Value.MaxPassDuration, cancellationToken);
                if (session is null) return SyncOutcome.Busy(); // every socket of this silo stayed busy: try again shortly
                try
                {
                    var synced = 0;
                    try
                    {
                        foreach (var folder in await FindFoldersAsync(session.Client, cancellationToken))
                        {
                            synced += await SyncFolderAsync(folder, request, pass, cancellationToken);
                            if (pass.StoppedEarly) break;
                        }
                    }
                    finally
                    {
                        // Never leave a write running behind a failed fetch: its commit would land after the pass ended.
                        await pass.Writes.DrainAsync();
                    }
                    await pass.Writes.CompletedAsync(); // a failed write fails the pass
                    session.Return();
                    return SyncOutcome.Success(synced, pass.StoppedEarly);
                }
                catch (Exception e) when (session.Reused && e is IOException or ImapProtocolException or ServiceNotConnectedException)
                {
                    // The server closed the kept session while it was idle: once more on a fresh connection.
                    logger.LogDebug("Kept IMAP session of {Mailbox} was dropped by the server; reconnecting", request.Mailbox);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var code = ImapErrorClassifier.Classify(e);
            logger.LogDebug("Sync of {Mailbox} failed with {Code} ({Exception})", request.Mailbox, code, e.GetType().Name);
            return SyncOutcome.Failure(code, e.Message);
        }
    }

    private static async Task<IMailFolder[]> FindFoldersAsync(ImapClient client, CancellationToken cancellationToken)
    {
        IMailFolder? sent = null;
        if ((client.Capabilities & (ImapCapabilities.SpecialUse | ImapCapabilities.XList)) != 0)
            sent = client.GetFolder(SpecialFolder.Sent);
        foreach (var name in SentFolderNames)
        {
            if (sent is not null) break;
            try
            {
                sent = await client.GetFolderAsync(name, cancellationToken);
            }
            catch (FolderNotFoundException)
            {
            }
        }
        return sent is null
            ? throw new FolderNotFoundException("No Sent folder: the server marks none as \\Sent and has none named " + string.Join(", ", SentFolderNames) + ".", "Sent")
            : [client.Inbox, sent];
    }

    private async Task<int> SyncFolderAsync(IMailFolder folder, SyncRequest request, Pass pass, CancellationToken cancellationToken)
    {
        await folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
        var name = folder.FullName;
        var uidValidity = folder.UidValidity;
        var plan = SyncPlanner.Plan(request.Cursors.GetValueOrDefault(name),
            new FolderFacts(uidValidity, folder.UidNext?.Id, folder.HighestModSeq), clock.Now - options.Value.InitialSyncWindow);
        if (plan.GivesUp)
            throw new ImapProtocolException($"UIDVALIDITY of {name} changed {SyncPlanner.MaxUidValidityChangesInARow + 1} passes in a row; stopping instead of rescanning forever.");
        if (plan.UidValidityChanged) logger.LogInformation("UIDVALIDITY of {Folder} changed for {Mailbox}: rescanning", name, request.Mailbox);
        if (plan.CommitFirst is { } first) pass.Writes.Commit(request, name, first);
        if (plan.UpToDate) return 0;

        SearchQuery query = plan.DeliveredSince is { } since
            ? SearchQuery.DeliveredAfter(since)
            : SearchQuery.Uids(new UniqueIdRange(uidValidity, plan.LastUid + 1, uint.MaxValue));
        var toSync = plan.ToSync((await folder.SearchAsync(query, cancellationToken)).Select(uid => uid.Id));

        var synced = 0;
        foreach (var batch in toSync.Chunk(options.Value.FetchBatchSize))
        {
            if (synced > 0 && pass.OutOfTime(clock.Time))
            {
                pass.StoppedEarly = true; // the cursor says where the next pass goes on
                return synced;
            }
            // Pipelined: this batch is fetched while the previous one is written; each batch's cursor is committed only
            // after its own entries are written and after every earlier commit of the pass.
            var summaries = await folder.FetchAsync([.. batch.Select(uid => new UniqueId(uidValidity, uid))], FetchItems, cancellationToken);
            await pass.Writes.CompletedAsync(); // at most one batch is being written; a failed write stops the pass
            var cursorAfterBatch = plan.CursorAfter(batch[^1]);
            pass.Writes.Enqueue(async () =>
            {
                await WriteTimelineAsync(summaries, request, cancellationToken);
                await request.CommitCursor(name, cursorAfterBatch);
            });
            synced += summaries.Count;
        }
        if (plan.CursorAtEnd(toSync) is { } end) pass.Writes.Commit(request, name, end); // what was looked at is not searched again
        return synced;
    }

    private async Task WriteTimelineAsync(IList<IMessageSummary> summaries, SyncRequest request, CancellationToken cancellationToken)
    {
        var own = request.Credentials.Email;
        var participants = TimelineEntryBuilder.Participants(summaries, own);
        if (participants.Count == 0) return;
        var matches = await leads.ResolveAsync(request.Mailbox.CompanyId, participants);
        if (matches.Count == 0) return;
        var entries = TimelineEntryBuilder.Build(summaries, matches, own, request.Mailbox.UserId);
        await timeline.WriteAsync(request.Mailbox.CompanyId, entries, cancellationToken);
    }

    /// <summary>One pass: its time budget (MailSync:MaxPassDuration, checked between batches) and its queued writes.</summary>
    private sealed class Pass(long started, TimeSpan budget)
    {
        public bool StoppedEarly { get; set; }

        public WriteChain Writes { get; } = new();

        public bool OutOfTime(TimeProvider time) => time.GetElapsedTime(started) >= budget;
    }
}
