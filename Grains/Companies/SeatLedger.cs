using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Grains.Companies;

/// <summary>
/// Seats of one company: the limit, who holds a seat, and the Pending queue in request order. Pure rules over what the
/// company grain loaded from its seat rows; every change is also recorded as the rows to write (<see cref="TakeChanges"/>),
/// so a seat operation writes O(1) rows, whatever the size of the company.
/// </summary>
public sealed class SeatLedger
{
    private readonly HashSet<string> holders = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, string> queue = new();
    private readonly Dictionary<string, long> queuedAs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SeatRow?> changes = new(StringComparer.Ordinal);
    private long lastQueued;

    public int Limit { get; private set; }

    public int SeatsUsed => holders.Count;

    public int PendingCount => queue.Count;

    public IReadOnlyCollection<string> Holders => holders;

    /// <summary>The Pending queue, oldest first.</summary>
    public IEnumerable<string> Pending => queue.Values;

    public bool Holds(string userId) => holders.Contains(userId);

    /// <summary>The ledger as its rows say, under <paramref name="limit"/>.</summary>
    public static SeatLedger Restore(int limit, IEnumerable<SeatRow> rows)
    {
        var ledger = new SeatLedger { Limit = limit };
        foreach (var row in rows)
        {
            if (row.Holder) ledger.holders.Add(row.UserId);
            else ledger.Enqueue(row.UserId, row.QueuedAs);
        }
        return ledger;
    }

    /// <summary>The rows changed since the last call (null: the user's row goes), oldest change last wins.</summary>
    public IReadOnlyList<(string UserId, SeatRow? Row)> TakeChanges()
    {
        var taken = changes.Select(c => (c.Key, c.Value)).ToList();
        changes.Clear();
        return taken;
    }

    /// <summary>Grants a seat when one is free and nobody waits; else queues. Repeating a request changes nothing.</summary>
    public SeatDecision Request(string userId)
    {
        if (holders.Contains(userId)) return SeatDecision.Grant;
        if (queuedAs.ContainsKey(userId)) return SeatDecision.Queued(PositionOf(userId));
        if (holders.Count < Limit && queue.Count == 0)
        {
            Admit(userId);
            return SeatDecision.Grant;
        }
        Enqueue(userId, lastQueued + 1);
        changes[userId] = new SeatRow(userId, Holder: false, lastQueued);
        return SeatDecision.Queued(queue.Count);
    }

    /// <summary>Frees the user's seat or queue place; returns the users promoted into freed seats, oldest first.</summary>
    public IReadOnlyList<string> Release(string userId)
    {
        var removed = holders.Remove(userId);
        if (queuedAs.Remove(userId, out var position))
        {
            queue.Remove(position);
            removed = true;
        }
        if (removed) changes[userId] = null;
        return PromoteWaiting();
    }

    /// <summary>Raising promotes waiting users; lowering disconnects nobody, it only stops admissions.</summary>
    public IReadOnlyList<string> SetLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
        return PromoteWaiting();
    }

    /// <summary>The user's place in the Pending queue (1 = next to get a seat), or null when not queued.</summary>
    public int? PlaceInQueue(string userId) => queuedAs.ContainsKey(userId) ? PositionOf(userId) : null;

    private int PositionOf(string userId)
    {
        var position = 1;
        foreach (var waiting in queue.Values)
        {
            if (waiting == userId) return position;
            position++;
        }
        throw new InvalidOperationException($"{userId} is not queued.");
    }

    private void Enqueue(string userId, long position)
    {
        queue.Add(position, userId);
        queuedAs[userId] = position;
        lastQueued = Math.Max(lastQueued, position);
    }

    private List<string> PromoteWaiting()
    {
        var promoted = new List<string>();
        while (holders.Count < Limit && queue.Count > 0)
        {
            var (position, next) = queue.First();
            queue.Remove(position);
            queuedAs.Remove(next);
            Admit(next);
            promoted.Add(next);
        }
        return promoted;
    }

    private void Admit(string userId)
    {
        holders.Add(userId);
        changes[userId] = new SeatRow(userId, Holder: true, 0);
    }
}
