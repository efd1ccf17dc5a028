using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>One pass: its time budget (MailSync:MaxPassDuration, checked between batches), its queued writes, its warnings.</summary>
internal sealed class SyncPass(long started, TimeSpan budget, CancellationToken caller)
{
    private readonly List<SyncWarning> warnings = [];

    /// <summary>The grain's own cancellation, apart from the pass deadline linked to it.</summary>
    public CancellationToken Caller => caller;

    public bool StoppedEarly { get; set; }

    /// <summary>INBOX's UIDNEXT as the pass selected it: mail after that was not looked at.</summary>
    public uint? InboxUidNext { get; set; }

    public WriteChain Writes { get; } = new();

    public IReadOnlyList<SyncWarning> Warnings
    {
        get
        {
            lock (warnings) return [.. warnings];
        }
    }

    /// <summary>Writes run beside the fetching caller, so warnings may arrive from both.</summary>
    public void Warn(MailboxErrorCode code, string detail)
    {
        lock (warnings) warnings.Add(new SyncWarning(code, detail));
    }

    public bool OutOfTime(TimeProvider time) => time.GetElapsedTime(started) >= budget;
}
