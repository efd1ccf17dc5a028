using System.Security.Cryptography;
using MailSync.Grains.Auth;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// The work a disconnect (or a change of account) leaves owed, done step by step and saved after each: Google grants to
/// revoke, and the user's timeline entries to remove in bounded chunks. A storage fault throws
/// <see cref="PlatformFaultException"/>: the caller tries again shortly, and the reminder brings the grain back for it after
/// a crash. No user's error log ever hears of it. One per activation.
/// </summary>
internal sealed class OwedCleanup(
    MailboxKey key, MailboxRecord record, MailboxAlarms alarms, CredentialSeal seal, ITimelineStore timeline,
    GoogleAccessTokens google, MailSyncClock clock, MailSyncOptions options, ILogger logger)
{
    /// <summary>Longest one revocation request may take, so a silent Google never holds up a disconnect for long.</summary>
    private static readonly TimeSpan RevocationTimeout = TimeSpan.FromSeconds(10);

    private readonly DisconnectCleanup rules = new(options.Retry);

    /// <summary>
    /// Steps take turns: the timer may wake up while a disconnect
    /// runs its own first step (two would revoke one grant twice).
    /// </summary>
    private readonly SemaphoreSlim cleaning = new(1, 1);

    /// <summary>
    /// New credentials replace the stored ones: the old Google
    /// grant is owed a revocation unless it is the same account's.
    /// </summary>
    public void CredentialsReplaced(MailboxCredentials next, DateTimeOffset now)
    {
        if (DisconnectCleanup.RevokesOnReplace(record.State.Credentials, next)) Disconnected(now);
        record.State.Revocations.RemoveAll(owed => DisconnectCleanup.Supersedes(next, owed));
    }

    /// <summary>The stored credentials go: their Google grant (other providers have none) is owed a revocation.</summary>
    public void Disconnected(DateTimeOffset now)
    {
        if (DisconnectCleanup.OwedBy(record.State.Credentials, now) is { } owed) record.State.Revocations.Add(owed);
    }

    /// <summary>One step of the owed work: the revocations that are due, then one bounded chunk of the history.</summary>
    public async Task StepAsync()
    {
        await cleaning.WaitAsync();
        try
        {
            var worked = await RevokeDueAsync();
            if (worked) await record.WriteAsync();
            worked |= await DeleteHistoryChunkAsync();
            if (worked && !record.State.CleanupOwed) await alarms.SyncReminderAsync();
        }
        finally
        {
            cleaning.Release();
        }
    }

    /// <summary>Removes one chunk of the history owed, if any, and saves where the next one goes on.</summary>
    private async Task<bool> DeleteHistoryChunkAsync()
    {
        if (record.State.HistoryDeletion is not { } deletion) return false;
        TimelineDeletionStep step;
        try
        {
            step = await timeline.DeleteByUserAsync(key.CompanyId, key.UserId, options.HistoryDeletionChunk, deletion.From);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new PlatformFaultException("Removing the mailbox's timeline entries", e);
        }
        // Saved before the next step: a crash repeats at most this step, which finds nothing of what it removed.
        record.State.HistoryDeletion = step.Done ? null : deletion with { From = step.Next };
        await record.WriteAsync();
        if (step.Done) logger.LogInformation("History of {Mailbox} removed (owed since {Since})", key, deletion.Since);
        return true;
    }

    /// <summary>Tries every revocation that is due; true when any of them changed (done, rescheduled or given up).</summary>
    private async Task<bool> RevokeDueAsync()
    {
        var now = clock.Now;
        var revocations = record.State.Revocations;
        var due = revocations.Where(owed => owed.NextAttemptAt <= now).ToList();
        foreach (var owed in due)
        {
            var next = await RevokeAsync(owed, now);
            var at = revocations.IndexOf(owed);
            if (next is null) revocations.RemoveAt(at);
            else revocations[at] = next;
        }
        return due.Count > 0;
    }

    /// <summary>One attempt to revoke an owed grant: null when it is settled (revoked, already invalid, or given up).</summary>
    private async Task<OwedRevocation?> RevokeAsync(OwedRevocation owed, DateTimeOffset now)
    {
        string refreshToken;
        try
        {
            refreshToken = seal.Open(owed.Credentials).Plain;
        }
        catch (CryptographicException)
        {
            logger.LogWarning("Google grant of {Mailbox} not revoked: its sealed token no longer decrypts (key removed)", key);
            return null;
        }
        try
        {
            using var timeout = new CancellationTokenSource(RevocationTimeout);
            var revoked = await google.RevokeAsync(refreshToken, timeout.Token);
            logger.LogInformation(
                revoked ? "Google grant of {Mailbox} revoked" : "Google grant of {Mailbox} was no longer valid; nothing to revoke", key);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Failed(owed, now, e);
        }
    }

    private OwedRevocation? Failed(OwedRevocation owed, DateTimeOffset now, Exception e)
    {
        var next = rules.AfterFailure(owed, now, Random.Shared.NextDouble());
        if (next is null)
        {
            logger.LogWarning(
                "Gave up revoking the Google grant of {Mailbox}: not accepted since {Since} ({Attempts} attempts, last {Fault})",
                key, owed.Since, owed.FailedAttempts + 1, e.GetType().Name);
        }
        else
        {
            logger.LogInformation("Revoking the Google grant of {Mailbox} failed ({Fault}); trying again at {At}",
                key, e.GetType().Name, next.NextAttemptAt);
        }
        return next;
    }
}
