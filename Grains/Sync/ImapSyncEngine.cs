using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Leads;
using MailSync.Grains.NeverLog;
using MailSync.Grains.Timeline;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// One sync pass of a mailbox: every folder <see cref="FolderSelection"/> chooses, each from its cursor (or the initial
/// window), fetched in batches of header fields; each batch's timeline entries are written before its cursor is committed,
/// so a crash repeats at most one batch, and the deterministic keys (lead + Message-ID) make the repeat harmless, as they
/// make one entry of a message seen in two folders or moved between them.
/// </summary>
public sealed class ImapSyncEngine(
    IOptions<MailSyncOptions> options,
    ImapSessionPool sessions,
    IMailboxAuthenticator authenticator,
    ILeadResolver leads,
    INeverLogReader neverLog,
    ITimelineStore timeline,
    MailSyncClock clock,
    ILogger<ImapSyncEngine> logger) : IMailboxConnector
{
    private readonly FolderDiscovery discovery =
        new(options.Value.FolderDiscoveryInterval, options.Value.MaxFoldersPerMailbox, clock);

    public void Forget(MailboxKey mailbox) => sessions.Forget(mailbox);

    public async Task<SyncOutcome> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var pass = new SyncPass(clock.Time.GetTimestamp(), options.Value.MaxPassDuration, cancellationToken);
        using var activity = MailSyncActivities.Imap.StartActivity("IMAP session", ActivityKind.Client);
        activity?.SetTag("server.address", request.Credentials.Imap.Host);
        // One absolute deadline reaches every call of the pass: a server that trickles one line at a time (each read within
        // ImapTimeout) still cannot hold the grain turn or the socket longer than this.
        var limit = options.Value.MaxPassDuration + options.Value.ImapTimeout;
        using var deadline = new CancellationTokenSource(limit, clock.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await SyncWithLoginAsync(request, pass, linked.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var cancelled = cancellationToken.IsCancellationRequested;
            return Failed(e, request, limit, deadline.IsCancellationRequested && !cancelled, cancelled) with { Warnings = pass.Warnings };
        }
    }

    /// <summary>
    /// The pass on a session of the silo's pool; an OAuth login (Google, Microsoft) refused with a cached access token is
    /// tried once more.
    /// </summary>
    private async Task<SyncOutcome> SyncWithLoginAsync(SyncRequest request, SyncPass pass, CancellationToken token)
    {
        // A Microsoft refresh token is used once: after a rotation this pass refreshes (if it must) with the new one.
        var credentials = request.Credentials;
        Task Rotated(string secret)
        {
            credentials = credentials with { Secret = secret };
            return request.SecretRotated?.Invoke(secret) ?? Task.CompletedTask;
        }
        var login = await authenticator.PrepareAsync(credentials, Rotated, token);
        var loginRetried = false;
        while (true)
        {
            ImapSession? acquired;
            try
            {
                acquired = await StepAsync("session", request,
                    () => sessions.AcquireAsync(
                        request.Mailbox, request.Credentials, login, options.Value.MaxPassDuration, token, request.Pushed));
            }
            catch (AuthenticationException e)
                when (!loginRetried && ImapErrorClassifier.Classify(e) == MailboxErrorCode.AuthenticationFailed)
            {
                // A cached access token (Google, Microsoft) can be dead before its expiry (grant revoked, password changed): one more
                // login with a fresh one. Passwords get no second try: servers lock out repeated failures.
                loginRetried = true;
                if (await authenticator.AfterRefusalAsync(credentials, Rotated, token) is not { } fresh) throw;
                logger.LogDebug("Login of {Mailbox} refused; once more with a refreshed access token", request.Mailbox);
                login = fresh;
                continue;
            }
            using var session = acquired;
            if (session is null) return SyncOutcome.Busy(); // every socket of this silo stayed busy: try again shortly
            try
            {
                return await SyncSessionAsync(session, request, pass, token);
            }
            catch (Exception e) when (session.Reused && e is IOException or ImapProtocolException or ServiceNotConnectedException
                && e is not ImapAnswerTooLargeException)
            {
                // The server closed the kept session while it was idle: once more on a fresh connection.
                logger.LogDebug("Kept IMAP session of {Mailbox} was dropped by the server; reconnecting", request.Mailbox);
            }
        }
    }

    private async Task<SyncOutcome> SyncSessionAsync(ImapSession session, SyncRequest request, SyncPass pass, CancellationToken token)
    {
        var synced = 0;
        DiscoveredFolders folders;
        try
        {
            var gmail = session.Client.Capabilities.HasFlag(ImapCapabilities.GMailExt1);
            pass.FetchRequest = TimelineEntryBuilder.FetchRequestFor(gmail);
            pass.Answers = session.Client.Answers;
            folders = await StepAsync("list", request, () => discovery.DiscoverAsync(session.Client, token));
            Account(folders, request, pass);
            synced = await SyncFoldersAsync(folders, request, pass, token);
            if (request.Backfill && !pass.StoppedEarly) await BackfillFoldersAsync(folders, request, pass, token);
        }
        catch
        {
            // What was fetched before the failure is still written, then its cursors committed: a folder that keeps
            // failing never holds back the folders before it. Never leave a write running behind a failed pass: its
            // commit would land after the pass ended.
            if (pass.Held > 0) QueueHeld(request, pass, token);
            pass.FlushCommits(request);
            await pass.Writes.DrainAsync();
            throw;
        }
        // The server's part is done: the session, its slot and its company's share go back before the last
        // writes finish, so slow storage never holds the slots other mailboxes need to reach their servers.
        // A pass cut short goes on at once; else the next poll is one (jittered) interval away.
        session.Return(clock.Now + (pass.StoppedEarly ? TimeSpan.Zero : request.NextPollIn ?? options.Value.PollInterval),
            pass.StoppedEarly ? null : request.MailArrived, folders.Watched?.Folder, pass.WatchedUidNext);
        await pass.Writes.CompletedAsync(); // a failed write fails the pass
        // The last cursors are stored with the outcome: one state write, not a commit and then the outcome's.
        return SyncOutcome.Success(synced, pass.StoppedEarly) with
        {
            Warnings = pass.Warnings, BackfillComplete = pass.BackfillComplete, Cursors = pass.TakeCommits(),
        };
    }

    /// <summary>
    /// What the listing tells the user and the cursors: a bound reached, no Sent folder; cursors of folders no longer
    /// there (deleted, renamed, or past the bound) are forgotten.
    /// </summary>
    private void Account(DiscoveredFolders folders, SyncRequest request, SyncPass pass)
    {
        var choice = folders.Choice;
        if (choice.Capped)
        {
            pass.Warn(MailboxErrorCode.TooManyFolders,
                $"The mailbox has more than {options.Value.MaxFoldersPerMailbox} folders; the first {options.Value.MaxFoldersPerMailbox} "
                + "are synced (INBOX, Sent, archives, then by name).");
        }
        if (!choice.HasSent)
        {
            pass.Warn(MailboxErrorCode.SentFolderMissing,
                $"The server marks no folder as Sent and has none named {string.Join(", ", FolderSelection.SentNames)}.");
        }
        var current = folders.Folders.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in request.Cursors.Keys.Where(k => !current.Contains(k) && k != FolderKeys.Inbox)) pass.Commit(gone, null);
    }

    /// <summary>
    /// The folders in order, each from its cursor; between folders as between batches, a pass past its time budget stops
    /// (the next one goes on at once from the saved cursors).
    /// </summary>
    private async Task<int> SyncFoldersAsync(
        DiscoveredFolders folders, SyncRequest request, SyncPass pass, CancellationToken token)
    {
        var synced = 0;
        foreach (var folder in folders.Folders)
        {
            if (pass.FoldersOpened > 0 && pass.OutOfTime(clock.Time))
            {
                pass.StoppedEarly = true;
                break;
            }
            synced += await SyncFolderAsync(folder, folder == folders.Watched, request, pass, token);
            if (pass.StoppedEarly) break;
        }
        // The last batch's cursors stay pending: a pass that ends well hands them over with its outcome.
        if (pass.Held > 0) await QueueHeldAsync(request, pass, token, commit: false);
        await CloseUnwatchedAsync(folders, request, token);
        return synced;
    }

    /// <summary>
    /// A folder left selected answers STATUS from this session's view, which misses it being deleted and made again by
    /// another client; only the watched folder (INBOX or All Mail, which no client deletes) stays selected.
    /// </summary>
    private async Task CloseUnwatchedAsync(DiscoveredFolders folders, SyncRequest request, CancellationToken token)
    {
        if (folders.Folders.FirstOrDefault(f => f.Folder.IsOpen && f != folders.Watched) is { } selected)
            await StepAsync("close", request, () => selected.Folder.CloseAsync(expunge: false, token));
    }

    /// <summary>
    /// Leads were added: every folder already synced is read again over the initial window, up to its cursor (what is
    /// newer the pass itself just read), and matched against the leads as they are now. One fetch per folder of at most
    /// <c>MailSync:FetchBatchSize</c> messages, else one search and a fetch per that many, however many leads were added;
    /// the entries are history (not announced) and their keys make the ones already there a no-op. A pass out of time
    /// leaves it for the next pass.
    /// </summary>
    private async Task BackfillFoldersAsync(DiscoveredFolders folders, SyncRequest request, SyncPass pass, CancellationToken token)
    {
        var windowStart = clock.Now - options.Value.InitialSyncWindow;
        foreach (var target in folders.Folders)
        {
            if (pass.OutOfTime(clock.Time)) return;
            var cursor = request.Cursors.GetValueOrDefault(target.Key);
            if (cursor is not { LastUid: > 0 }) continue; // never synced: its first sync reads the window anyway
            var folder = target.Folder;
            if (!folder.IsOpen) await StepAsync("open", request, () => folder.OpenAsync(FolderAccess.ReadOnly, token));
            if (folder.UidValidity != cursor.UidValidity) continue; // the next poll rescans it whole
            var synced = new UniqueIdRange(cursor.UidValidity, 1, cursor.LastUid);
            var window = windowStart.UtcDateTime.Date;
            if (folder.Count <= options.Value.FetchBatchSize)
            {
                // Few enough for one batch: fetched without a search, the window applied to what came back (ADR 0052).
                if (folder.Count == 0) continue;
                var fetched = await FetchAsync(folder, synced, folder.Count, request, pass, token);
                var inWindow = fetched.Where(s => s.UniqueId.Id <= cursor.LastUid && FolderPlan.DeliveredOnOrAfter(s.InternalDate, window));
                await WriteTimelineAsync([.. inWindow], request, pass, announce: false, token);
                continue;
            }
            var query = SearchQuery.DeliveredAfter(window).And(SearchQuery.Uids(synced));
            var answer = await StepAsync("search", request, () => folder.SearchAsync(query, token));
            var found = SearchAnswer.Read(answer, folder.FullName, folder.Count).Where(uid => uid <= cursor.LastUid).Order().ToList();
            foreach (var batch in found.Chunk(options.Value.FetchBatchSize))
            {
                var summaries = await FetchAsync(folder, cursor.UidValidity, batch, request, pass, token);
                await WriteTimelineAsync(summaries, request, pass, announce: false, token);
            }
        }
        await CloseUnwatchedAsync(folders, request, token);
        pass.BackfillComplete = true;
    }

    /// <summary>
    /// What a failed pass means: our platform's fault (deferred, never the user's), the pass deadline, or the mail server's
    /// failure, classified with its words made safe for the user's error log.
    /// </summary>
    private SyncOutcome Failed(Exception e, SyncRequest request, TimeSpan limit, bool deadlineReached, bool cancelled)
    {
        switch (e)
        {
            case PlatformFaultException fault:
                logger.LogWarning(fault.InnerException, "Sync of {Mailbox} deferred: {Fault}", request.Mailbox, fault.Message);
                return SyncOutcome.PlatformFault(fault.Message);
            case OperationCanceledException when deadlineReached:
                logger.LogDebug("Sync of {Mailbox} cut off at its {Limit} deadline", request.Mailbox, limit);
                return SyncOutcome.Failure(MailboxErrorCode.ConnectionTimeout,
                    $"The mail server did not finish answering within {limit.TotalSeconds:0} seconds; the connection was closed.");
            case var _ when OurFault(e) && !cancelled:
                // A grain call or our storage failed outside the wrapped calls (a silo going away mid-pass): deferred, not the user's.
                logger.LogWarning(e, "Sync of {Mailbox} deferred: platform fault", request.Mailbox);
                return SyncOutcome.PlatformFault(e.GetType().Name);
        }
        var code = ImapErrorClassifier.Classify(e, request.Credentials.Provider);
        var detail = ErrorDetail.Of(code, request.Credentials.Imap.Host, e);
        if (code == MailboxErrorCode.ServerThrottled && ImapErrorClassifier.SuggestedBackoff(e) is { } wait)
        {
            // The server said how long to wait (Exchange Online): wait at least that, and it is not the user's error.
            logger.LogDebug("Sync of {Mailbox} throttled; the server asks for {Wait}", request.Mailbox, wait);
            return SyncOutcome.Throttled(wait, detail);
        }
        logger.LogDebug("Sync of {Mailbox} failed with {Code} ({Exception})", request.Mailbox, code, e.GetType().Name);
        // The socket's own words (addresses, ports) are for the operators' log only, never the user's error log.
        if (detail != e.Message) logger.LogDebug("Network failure of {Mailbox}: {Reason}", request.Mailbox, e.Message);
        return SyncOutcome.Failure(code, detail);
    }

    /// <summary>
    /// One folder from its cursor. A folder STATUS found unchanged is not even selected; otherwise it is selected. What can
    /// hold at most a fetch batch (a first sync of a small folder, a few new messages) is then fetched at once; more is
    /// searched (from the cursor, or over the initial window on a first sync) and fetched in batches.
    /// </summary>
    private async Task<int> SyncFolderAsync(
        FolderToSync target, bool watched, SyncRequest request, SyncPass pass, CancellationToken cancellationToken)
    {
        var (folder, key) = (target.Folder, target.Key);
        // Cursors of INBOX and Sent were once keyed by the server's folder names.
        var cursor = request.Cursors.GetValueOrDefault(key)
                     ?? (key is FolderKeys.Inbox or FolderKeys.Sent ? request.Cursors.GetValueOrDefault(folder.FullName) : null);
        var windowStart = clock.Now - options.Value.InitialSyncWindow;
        if (target.Facts is { } listed && SyncPlanner.Plan(cursor, listed, windowStart) is { UpToDate: true } unchanged)
        {
            if (unchanged.CommitFirst is { } fresher) pass.Commit(key, fresher);
            if (watched) pass.WatchedUidNext = listed.UidNext;
            return 0;
        }
        await StepAsync("open", request, () => folder.OpenAsync(FolderAccess.ReadOnly, cancellationToken));
        pass.FoldersOpened++;
        if (watched) pass.WatchedUidNext = folder.UidNext?.Id;
        var plan = SyncPlanner.Plan(cursor, new FolderFacts(folder.UidValidity, folder.UidNext?.Id, folder.HighestModSeq), windowStart);
        if (plan.GivesUp)
            throw new ImapProtocolException(
                $"UIDVALIDITY of {folder.FullName} changed {SyncPlanner.MaxUidValidityChangesInARow + 1} passes in a row; "
                + "stopping instead of rescanning forever.");
        if (plan.UidValidityChanged)
            logger.LogInformation("UIDVALIDITY of {Folder} changed for {Mailbox}: rescanning", folder.FullName, request.Mailbox);
        if (plan.CommitFirst is { } first) pass.Commit(key, first);
        if (plan.UpToDate) return 0;

        IReadOnlyList<uint> toSync;
        int synced;
        if (plan.WholeFetch(folder.Count, options.Value.FetchBatchSize) is { } range)
        {
            // Few enough to fetch in one batch: fetched at once, without a search first (a round trip less per folder).
            toSync = await FetchWholeAsync(folder, key, plan, range, request, pass, cancellationToken);
            synced = toSync.Count;
        }
        else
        {
            SearchQuery query = plan.DeliveredSince is { } since
                ? SearchQuery.DeliveredAfter(since)
                : SearchQuery.Uids(new UniqueIdRange(plan.UidValidity, plan.LastUid + 1, uint.MaxValue));
            toSync = plan.ToSync(SearchAnswer.Read(
                await StepAsync("search", request, () => folder.SearchAsync(query, cancellationToken)), folder.FullName, folder.Count));
            synced = await FetchBatchesAsync(folder, key, plan, toSync, request, pass, cancellationToken);
        }
        if (!pass.StoppedEarly && plan.CursorAtEnd(toSync) is { } end)
            pass.Commit(key, end); // what was looked at is not searched again
        return synced;
    }

    /// <summary>
    /// A folder's messages in <paramref name="range"/> in one fetch, those <see cref="FolderPlan.Wanted"/> kept as a batch:
    /// their UIDs, oldest first.
    /// </summary>
    private async Task<IReadOnlyList<uint>> FetchWholeAsync(IMailFolder folder, string key, FolderPlan plan,
        (uint First, uint Last) range, SyncRequest request, SyncPass pass, CancellationToken cancellationToken)
    {
        if (folder.Count == 0) return [];
        var announce = plan.DeliveredSince is null;
        var most = (int)Math.Min(folder.Count, range.Last - range.First + 1L);
        await MakeRoomAsync(most, announce, request, pass, cancellationToken);
        var fetched = await FetchAsync(folder, new UniqueIdRange(plan.UidValidity, range.First, range.Last), most, request, pass,
            cancellationToken);
        var kept = fetched.Where(s => plan.Wanted(s.UniqueId.Id, s.InternalDate)).OrderBy(s => s.UniqueId.Id).ToList();
        if (kept.Count == 0) return [];
        await HoldAsync(key, plan, kept, kept[^1].UniqueId.Id, announce, request, pass, cancellationToken);
        return [.. kept.Select(s => s.UniqueId.Id)];
    }

    /// <summary>
    /// Fetches in batches, pipelined: a batch is fetched while the previous one is written; each batch's cursor is committed
    /// only after its own entries are written and after every earlier commit of the pass (the last batch's goes back with
    /// the outcome). Small folders' batches are held and written together, up to a fetch batch: a first sync of 50 folders
    /// of 200 messages is 4 writes and 4 state writes (the last one the outcome's), not 50 of each.
    /// </summary>
    private async Task<int> FetchBatchesAsync(
        IMailFolder folder, string key, FolderPlan plan, IReadOnlyList<uint> toSync, SyncRequest request, SyncPass pass,
        CancellationToken cancellationToken)
    {
        var synced = 0;
        var announce = plan.DeliveredSince is null;
        foreach (var batch in toSync.Chunk(options.Value.FetchBatchSize))
        {
            if (synced > 0 && pass.OutOfTime(clock.Time))
            {
                pass.StoppedEarly = true; // the cursor says where the next pass goes on
                return synced;
            }
            await MakeRoomAsync(batch.Length, announce, request, pass, cancellationToken);
            var summaries = await FetchAsync(folder, plan.UidValidity, batch, request, pass, cancellationToken);
            await HoldAsync(key, plan, summaries, batch[^1], announce, request, pass, cancellationToken);
            synced += summaries.Count;
        }
        return synced;
    }

    /// <summary>Before fetching up to <paramref name="messages"/>: what is held goes to be written if they would not fit with it.</summary>
    private async Task MakeRoomAsync(int messages, bool announce, SyncRequest request, SyncPass pass, CancellationToken cancellationToken)
    {
        if (pass.Held > 0 && (pass.Held + messages > options.Value.FetchBatchSize || pass.HeldAnnounced != announce))
            await QueueHeldAsync(request, pass, cancellationToken);
    }

    /// <summary>Holds a fetched batch with its cursor (up to <paramref name="lastUid"/>); a full fetch batch goes to be written.</summary>
    private async Task HoldAsync(string key, FolderPlan plan, IList<IMessageSummary> summaries, uint lastUid, bool announce,
        SyncRequest request, SyncPass pass, CancellationToken cancellationToken)
    {
        pass.Hold(summaries, announce);
        pass.Commit(key, plan.CursorAfter(lastUid));
        if (pass.Held >= options.Value.FetchBatchSize) await QueueHeldAsync(request, pass, cancellationToken);
    }

    /// <summary>
    /// Queues the held messages' timeline write and then the pending cursors' commit, once the write before has finished
    /// (a failed one stops the pass): with what is held or being fetched, a pass holds at most two fetch batches.
    /// </summary>
    private async Task QueueHeldAsync(SyncRequest request, SyncPass pass, CancellationToken cancellationToken, bool commit = true)
    {
        await pass.Writes.CompletedAsync();
        QueueHeld(request, pass, cancellationToken, commit);
    }

    private void QueueHeld(SyncRequest request, SyncPass pass, CancellationToken cancellationToken, bool commit = true)
    {
        var announce = pass.HeldAnnounced;
        var summaries = pass.TakeHeld();
        var cursors = commit ? pass.TakeCommits() : new Dictionary<string, FolderCursor?>();
        pass.Writes.Enqueue(async () =>
        {
            if (summaries.Count > 0) await WriteTimelineAsync(summaries, request, pass, announce, cancellationToken);
            if (cursors.Count > 0) await StepAsync("commit", request, () => request.CommitCursors(cursors));
        });
    }

    private Task<IList<IMessageSummary>> FetchAsync(
        IMailFolder folder, uint uidValidity, uint[] batch, SyncRequest request, SyncPass pass, CancellationToken cancellationToken) =>
        FetchAsync(folder, [.. batch.Select(uid => new UniqueId(uidValidity, uid))], batch.Length, request, pass, cancellationToken);

    /// <summary>
    /// The header fields of up to <paramref name="messages"/> messages, within the answer budget of that many (a server's
    /// 8 MB headers are refused).
    /// </summary>
    private Task<IList<IMessageSummary>> FetchAsync(IMailFolder folder, IList<UniqueId> uids, int messages, SyncRequest request,
        SyncPass pass, CancellationToken cancellationToken) =>
        StepAsync("fetch", request, async () =>
        {
            using var allowed = pass.Answers.Allow(AnswerBudget.ForFetch(messages),
                $"the headers of {messages:N0} messages in {folder.FullName}",
                "If a message there has enormous headers, moving it to Trash lets the sync go on.");
            return await folder.FetchAsync(uids, pass.FetchRequest, cancellationToken);
        });

    private async Task WriteTimelineAsync(
        IList<IMessageSummary> summaries, SyncRequest request, SyncPass pass, bool announce, CancellationToken cancellationToken)
    {
        var own = request.Credentials.Email;
        var participants = TimelineEntryBuilder.Participants(summaries, own);
        if (participants.Count == 0) return;
        var matches = await StepAsync("leads", request,
            () => OnPlatformAsync("Looking up leads", () => leads.ResolveAsync(request.Mailbox.CompanyId, participants), pass));
        if (matches.Count == 0) return;
        // Read only when something would be recorded: quiet polls and lead-less mail cost nothing.
        var rules = await StepAsync("never-log", request,
            () => OnPlatformAsync("Reading the never-log lists",
                () => neverLog.ReadAsync(request.Mailbox.CompanyId, request.Mailbox.UserId, own, cancellationToken), pass));
        // Each participant is judged once (normalising an address is not free), not once per message it is on.
        var neverLogged = participants.Where(rules.NeverLogs).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var entries = TimelineEntryBuilder.Build(summaries, rules.WithoutInternal(matches), own, request.Mailbox.UserId,
            neverLogged.Count == 0 ? null : neverLogged.Contains);
        if (entries.Count == 0) return;
        // A row storage refuses is skipped (and said so in the error log): one message never fails a pass.
        var refusals = await StepAsync("timeline", request,
            () => OnPlatformAsync("Writing the timeline",
                () => timeline.WriteAsync(request.Mailbox.CompanyId, entries, cancellationToken), pass));
        foreach (var refused in refusals)
        {
            logger.LogInformation("Timeline entry of {Mailbox} refused by storage: {Reason}", request.Mailbox, refused.Reason);
            pass.Warn(MailboxErrorCode.MessageNotStored,
                $"Message {refused.Entry.MessageId} of {refused.Entry.Date:u} from {refused.Entry.From}: {refused.Reason}");
        }
        if (announce && request.EntriesAdded is { } added) await added([.. entries.Except(refusals.Select(r => r.Entry))]);
    }

    /// <summary>Times one step of the pass (<c>mailsync.sync.step</c>), failed ones too: where a slow pass spends its time.</summary>
    private async Task<T> StepAsync<T>(string step, SyncRequest request, Func<Task<T>> run)
    {
        var started = clock.Time.GetTimestamp();
        try
        {
            return await run();
        }
        finally
        {
            MailSyncMetrics.PassStep(step, request.Pushed, clock.Time.GetElapsedTime(started));
        }
    }

    private Task StepAsync(string step, SyncRequest request, Func<Task> run) =>
        StepAsync(step, request, async () => { await run(); return true; });

    /// <summary>An Orleans fault (a grain call, a silo gone, grain storage) or Azure storage's, anywhere in the chain.</summary>
    private static bool OurFault(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is Orleans.Runtime.OrleansException or Azure.RequestFailedException) return true;
        }
        return false;
    }

    /// <summary>
    /// Our own storage and grain calls: their failures are platform faults, never the mail server's. That includes the
    /// pass deadline falling while we wait on our own storage: only the caller's cancellation stays a cancellation.
    /// </summary>
    private static async Task<T> OnPlatformAsync<T>(string what, Func<Task<T>> call, SyncPass pass)
    {
        try
        {
            return await call();
        }
        catch (Exception e)
            when (e is not PlatformFaultException && (e is not OperationCanceledException || !pass.Caller.IsCancellationRequested))
        {
            throw new PlatformFaultException(what, e);
        }
    }
}
