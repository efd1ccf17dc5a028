using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>The one seam through which a mailbox grain reaches a mail server: one connection-and-sync attempt.</summary>
public interface IMailboxConnector
{
    Task<SyncOutcome> SyncAsync(SyncRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// What an attempt needs: whose mailbox, its decrypted credentials, the folder cursors so far, and how to persist a
/// cursor once a batch's timeline entries are written.
/// </summary>
public sealed record SyncRequest(
    MailboxKey Mailbox,
    MailboxCredentials Credentials,
    IReadOnlyDictionary<string, FolderCursor> Cursors,
    Func<string, FolderCursor, Task> CommitCursor);

/// <summary>
/// Success with the number of messages read (and whether the pass stopped early with more to read), a classified
/// failure with the server's words, or deferred: no socket was free, so nothing was tried.
/// </summary>
public sealed record SyncOutcome(bool Succeeded, int MessagesSynced, MailboxErrorCode Code, string? Detail, bool MoreToSync = false, bool Deferred = false)
{
    public static SyncOutcome Success(int messagesSynced, bool moreToSync = false) =>
        new(true, messagesSynced, MailboxErrorCode.Unknown, null, moreToSync);

    public static SyncOutcome Failure(MailboxErrorCode code, string? detail) => new(false, 0, code, detail);

    public static SyncOutcome Busy() => new(false, 0, MailboxErrorCode.Unknown, null, Deferred: true);
}
