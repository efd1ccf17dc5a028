using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;

namespace MailSync.Grains.Sync;

/// <summary>The one seam through which a mailbox grain reaches a mail server: one connection-and-sync attempt.</summary>
public interface IMailboxConnector
{
    Task<SyncOutcome> SyncAsync(SyncRequest request, CancellationToken cancellationToken);

    /// <summary>Closes the session this silo keeps (and its IDLE watch) for a mailbox that was disconnected.</summary>
    void Forget(MailboxKey mailbox);
}

/// <summary>
/// What an attempt needs: whose mailbox, its decrypted credentials, the folder cursors so far (by <see cref="FolderKeys"/>),
/// and how to persist cursors once a batch's timeline entries are written (a null cursor: the folder is gone, forget it).
/// A pass that succeeds hands its last cursors back with its outcome instead (<see cref="SyncOutcome.Cursors"/>).
/// </summary>
public sealed record SyncRequest(
    MailboxKey Mailbox,
    MailboxCredentials Credentials,
    IReadOnlyDictionary<string, FolderCursor> Cursors,
    Func<IReadOnlyDictionary<string, FolderCursor?>, Task> CommitCursors)
{
    /// <summary>
    /// How long after a good pass the mailbox polls again (its jittered poll interval), so the silo keeps the sessions
    /// needed soonest; null = MailSync:PollInterval.
    /// </summary>
    public TimeSpan? NextPollIn { get; init; }

    /// <summary>
    /// Told when the server announces new mail in the watched folder (INBOX, or Gmail's All Mail) while the mailbox's kept
    /// session watches it (IMAP IDLE) between polls; null = no watch.
    /// </summary>
    public Func<Task>? MailArrived { get; init; }

    /// <summary>
    /// Told the refresh token that replaces the stored one (Sign in with Microsoft rotates them): sealed and stored before
    /// the pass goes on; null = nothing to store (tests).
    /// </summary>
    public Func<string, Task>? SecretRotated { get; init; }

    /// <summary>The pass was started by an IDLE announcement, not a poll (its steps are timed apart).</summary>
    public bool Pushed { get; init; }

    /// <summary>
    /// Leads were added: after the new mail, read every synced folder again over the initial window (up to its cursor)
    /// for their past emails (<see cref="SyncOutcome.BackfillComplete"/> says whether it got through).
    /// </summary>
    public bool Backfill { get; init; }

    /// <summary>
    /// Told the entries a batch added to lead timelines after they are written and before its cursor commits (so the
    /// mailbox persists what it announces with that cursor); not for a folder's first sync, whose backfill is history.
    /// </summary>
    public Func<IReadOnlyList<TimelineEntry>, Task>? EntriesAdded { get; init; }
}

/// <summary>
/// Success with the number of messages read (and whether the pass stopped early with more to read), a classified
/// failure with the server's words, or deferred: no socket was free, or our own platform failed (<see cref="Detail"/>
/// then says what, for the operators' log only), so the attempt is repeated shortly. Any outcome may carry
/// warnings: things the user should know that did not stop the pass (a skipped message, a missing Sent folder).
/// </summary>
public sealed record SyncOutcome(
    bool Succeeded, int MessagesSynced, MailboxErrorCode Code, string? Detail, bool MoreToSync = false,
    SyncDeferral Deferral = SyncDeferral.None)
{
    public bool Deferred => Deferral != SyncDeferral.None;

    public IReadOnlyList<SyncWarning> Warnings { get; init; } = [];

    /// <summary>The pass read the initial window again for new leads, as its request asked (<see cref="SyncRequest.Backfill"/>).</summary>
    public bool BackfillComplete { get; init; }

    /// <summary>
    /// A successful pass's last cursors, not yet committed: every write they cover has finished. The mailbox stores them with
    /// the outcome, in one state write instead of a commit and then the outcome's (a pushed message is counted sooner, and a
    /// pass with new mail costs one write less). Lost with the outcome, they only make the next pass read those messages again.
    /// </summary>
    public IReadOnlyDictionary<string, FolderCursor?> Cursors { get; init; } = new Dictionary<string, FolderCursor?>();

    public static SyncOutcome Success(int messagesSynced, bool moreToSync = false) =>
        new(true, messagesSynced, MailboxErrorCode.Unknown, null, moreToSync);

    public static SyncOutcome Failure(MailboxErrorCode code, string? detail) => new(false, 0, code, detail);

    public static SyncOutcome Busy() => new(false, 0, MailboxErrorCode.Unknown, null, Deferral: SyncDeferral.Busy);

    /// <summary>How long the server asked to be left alone (<see cref="SyncDeferral.Throttled"/>).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// The server throttles the mailbox and said for how long: deferred at least that long, never the user's error; said
    /// once a day as a warning.
    /// </summary>
    public static SyncOutcome Throttled(TimeSpan wait, string detail) =>
        new(false, 0, MailboxErrorCode.ServerThrottled, detail, Deferral: SyncDeferral.Throttled) { RetryAfter = wait };

    /// <summary>Our own storage or a grain call failed: deferred like <see cref="Busy"/>, never the user's error.</summary>
    public static SyncOutcome PlatformFault(string what) =>
        new(false, 0, MailboxErrorCode.Unknown, what, Deferral: SyncDeferral.PlatformFault);
}

/// <summary>Why an attempt did not happen: not the user's business, but counted, and a long wait for a socket is said.</summary>
public enum SyncDeferral
{
    None,

    /// <summary>No IMAP connection of this silo (or of this company's or host's share) freed up in time.</summary>
    Busy,

    /// <summary>Our storage or a grain call failed.</summary>
    PlatformFault,

    /// <summary>The mail server throttles the mailbox and said how long to wait (<see cref="SyncOutcome.RetryAfter"/>).</summary>
    Throttled,
}

/// <summary>Something to put in the error log without failing the pass.</summary>
public sealed record SyncWarning(MailboxErrorCode Code, string Detail);
