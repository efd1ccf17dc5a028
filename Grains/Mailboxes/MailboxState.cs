using MailSync.Grains.Sync;
using MailSync.Grains.Webhooks;

namespace MailSync.Grains.Mailboxes;

[GenerateSerializer]
[Alias("MailSync.MailboxState")]
public sealed class MailboxState
{
    [Id(0)] public MailboxLifecycle Lifecycle { get; set; } = MailboxLifecycle.NotConfigured;
    [Id(1)] public StoredCredentials? Credentials { get; set; }
    [Id(2)] public ErrorLog Errors { get; set; } = new();
    [Id(3)] public BillingLedger Billing { get; set; } = new();
    [Id(4)] public long MessagesSynced { get; set; }

    /// <summary>Set while a disconnect has not yet been confirmed by the company grain; retried until it is.</summary>
    [Id(5)] public bool SeatReleasePending { get; set; }

    /// <summary>Per-folder sync cursors, keyed by the folder's role (<see cref="FolderKeys"/>).</summary>
    [Id(6)] public Dictionary<string, FolderCursor> Cursors { get; set; } = [];

    /// <summary>Since when attempts have been deferred for want of a free IMAP connection (null while they run).</summary>
    [Id(7)] public DateTimeOffset? BusySince { get; set; }

    /// <summary>Set by the first connect: from then on the mailbox keeps its row in the company's status index.</summary>
    [Id(8)] public bool Listed { get; set; }

    /// <summary>
    /// History removal a disconnect without keeping history still owes (null: none). Written with the disconnect and
    /// cleared only when no entry of the user remains; no sync attempt runs meanwhile, so nothing synced after a
    /// reconnect is removed.
    /// </summary>
    [Id(9)] public HistoryDeletion? HistoryDeletion { get; set; }

    /// <summary>Google grants still to be revoked (disconnected, or replaced by another account's credentials).</summary>
    [Id(10)] public List<OwedRevocation> Revocations { get; set; } = [];

    /// <summary>Events of changes not yet handed to the company's event log (webhooks, change feed); written with the change.</summary>
    [Id(40)] public MailboxOutbox Outbox { get; set; } = new();

    /// <summary>
    /// The newest lead-backfill round asked of this mailbox and not yet done: saved, so a mailbox whose activation is lost,
    /// or that is in Error when asked, still reads its window again on its next pass.
    /// </summary>
    [Id(41)] public int? BackfillRound { get; set; }

    /// <summary>When "sync now" last ran: saved, so its cooldown outlives the activation (a reactivation resets nothing).</summary>
    [Id(42)] public DateTimeOffset? SyncNowAt { get; set; }

    /// <summary>When a connect through the API last ran: saved with it, so its cooldown outlives the activation.</summary>
    [Id(43)] public DateTimeOffset? ConnectedAt { get; set; }

    /// <summary>Whether a disconnect left work to do, for which the mailbox must keep coming back.</summary>
    public bool CleanupOwed => HistoryDeletion is not null || Revocations.Count > 0;
}
