using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>The one seam through which a mailbox grain reaches a mail server: one connection-and-sync attempt.</summary>
public interface IMailboxConnector
{
    Task<SyncOutcome> SyncAsync(SyncRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// What an attempt needs: whose mailbox, its decrypted credentials, which attempt of a streak this is, the folder
/// cursors so far, and how to persist a cursor once a batch's timeline entries are written.
/// </summary>
public sealed record SyncRequest(
    MailboxKey Mailbox,
    MailboxCredentials Credentials,
    int Attempt,
    IReadOnlyDictionary<string, FolderCursor> Cursors,
    Func<string, FolderCursor, Task> CommitCursor);

/// <summary>Either success with the number of new messages, or a classified failure with the server's words.</summary>
public sealed record SyncOutcome(bool Succeeded, int MessagesSynced, MailboxErrorCode Code, string? Detail)
{
    public static SyncOutcome Success(int messagesSynced) => new(true, messagesSynced, MailboxErrorCode.Unknown, null);

    public static SyncOutcome Failure(MailboxErrorCode code, string? detail) => new(false, 0, code, detail);
}
