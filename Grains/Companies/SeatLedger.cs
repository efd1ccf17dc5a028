using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Grains.Companies;

/// <summary>
/// Seats of one company: the limit, who holds a seat, and the Pending queue in request order. Pure rules, kept in
/// the company grain's state; the grain persists it and tells promoted users.
/// </summary>
[GenerateSerializer]
[Alias("MailSync.SeatLedger")]
public sealed class SeatLedger
{
    [Id(0)] public int Limit { get; set; }
    [Id(1)] public List<string> Holders { get; set; } = [];
    [Id(2)] public List<string> Pending { get; set; } = [];
    [Id(3)] public SortedSet<string> KnownUsers { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Grows with every change, so the grain writes state only when something changed.</summary>
    [Id(5)] public long Version { get; set; }

    /// <summary>Grants a seat when one is free and nobody waits; else queues. Repeating a request changes nothing.</summary>
    public SeatDecision Request(string userId)
    {
        if (KnownUsers.Add(userId)) Version++;
        if (Holders.Contains(userId)) return SeatDecision.Grant;
        var queued = Pending.IndexOf(userId);
        if (queued >= 0) return SeatDecision.Queued(queued + 1);
        if (Holders.Count < Limit && Pending.Count == 0)
        {
            Admit(userId);
            return SeatDecision.Grant;
        }
        Pending.Add(userId);
        Version++;
        return SeatDecision.Queued(Pending.Count);
    }

    /// <summary>Frees the user's seat or queue place; returns the users promoted into freed seats, oldest first.</summary>
    public IReadOnlyList<string> Release(string userId)
    {
        if (Holders.Remove(userId) | Pending.Remove(userId)) Version++;
        return PromoteWaiting();
    }

    /// <summary>Raising promotes waiting users; lowering disconnects nobody, it only stops admissions.</summary>
    public IReadOnlyList<string> SetLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if (limit == Limit) return [];
        Limit = limit;
        Version++;
        return PromoteWaiting();
    }

    private List<string> PromoteWaiting()
    {
        var promoted = new List<string>();
        while (Holders.Count < Limit && Pending.Count > 0)
        {
            var next = Pending[0];
            Pending.RemoveAt(0);
            Admit(next);
            promoted.Add(next);
        }
        return promoted;
    }

    private void Admit(string userId)
    {
        Holders.Add(userId);
        Version++;
    }
}
