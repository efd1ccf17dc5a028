using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>One pass: its time budget (MailSync:MaxPassDuration, checked between batches), its queued writes, its warnings.</summary>
internal sealed class SyncPass(long started, TimeSpan budget, CancellationToken caller)
{
    private readonly List<SyncWarning> warnings = [];

    /// <summary>The grain's own cancellation, apart from the pass deadline linked to it.</summary>
    public CancellationToken Caller => caller;

    public bool StoppedEarly { get; set; }

    /// <summary>A backfill was asked for and every synced folder was read again over the initial window.</summary>
    public bool BackfillComplete { get; set; }

    /// <summary>Folders the pass selected: only a pass that did some work stops at its time budget between folders.</summary>
    public int FoldersOpened { get; set; }

    /// <summary>The watched folder's UIDNEXT as the pass saw it: mail after that was not looked at.</summary>
    public uint? WatchedUidNext { get; set; }

    public WriteChain Writes { get; } = new();

    /// <summary>What the session's server may send per command (a fetch allows more, by its size).</summary>
    public AnswerBudget Answers { get; set; } = new();

    /// <summary>What the pass fetches of each message (Gmail's labels too, where the server has them).</summary>
    public MailKit.IFetchRequest FetchRequest { get; set; } = TimelineEntryBuilder.FetchRequest;

    /// <summary>
    /// Cursors to persist that wait for no timeline write (folders found unchanged or empty, folders gone): saved together
    /// in one state write, queued behind the writes before them.
    /// </summary>
    private readonly Dictionary<string, FolderCursor?> pendingCursors = [];

    /// <summary>Persists <paramref name="cursor"/> for <paramref name="key"/> with the next batch of commits (null: forgets it).</summary>
    public void Commit(string key, FolderCursor? cursor) => pendingCursors[key] = cursor;

    /// <summary>The pending cursors, to persist with a batch's write; none pending afterwards.</summary>
    public IReadOnlyDictionary<string, FolderCursor?> TakeCommits()
    {
        var cursors = new Dictionary<string, FolderCursor?>(pendingCursors);
        pendingCursors.Clear();
        return cursors;
    }

    /// <summary>
    /// Fetched messages whose timeline write is not queued yet, with whether their entries are announced: small folders'
    /// batches go to storage together (fuller transactions, one cursor commit), never more than a fetch batch at once.
    /// </summary>
    private List<MailKit.IMessageSummary> held = [];

    public int Held => held.Count;

    public bool HeldAnnounced { get; private set; }

    public void Hold(IList<MailKit.IMessageSummary> summaries, bool announced)
    {
        held.AddRange(summaries);
        HeldAnnounced = announced;
    }

    /// <summary>The held messages, to write with the pending cursors; none held afterwards.</summary>
    public List<MailKit.IMessageSummary> TakeHeld()
    {
        var taken = held;
        held = [];
        return taken;
    }

    /// <summary>Queues the pending cursors as one commit behind the writes queued so far.</summary>
    public void FlushCommits(SyncRequest request)
    {
        if (pendingCursors.Count == 0) return;
        var cursors = TakeCommits();
        Writes.Enqueue(() => request.CommitCursors(cursors));
    }

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
