namespace MailSync.Grains.Sync;

/// <summary>
/// Which logged-in idle sessions a silo keeps, as a pure rule over (mailbox, when it polls next, since when idle). At most
/// <c>capacity</c> are kept; over it, the one whose mailbox polls furthest in the future goes (the optimal choice for
/// mailboxes polling in a cycle: evicting the oldest instead closes exactly the session needed next, so every poll logs
/// in again). A session whose mailbox is more than <see cref="OverdueGrace"/> late for its poll goes first: its mailbox
/// has probably moved to another silo. Sessions idle for <c>idleTimeout</c> expire (below servers' autologout), and a
/// session is not kept at all when its next poll lies beyond that.
/// </summary>
/// <typeparam name="TKey">The mailbox.</typeparam>
/// <typeparam name="TSession">What is kept (the client); the caller closes what comes back.</typeparam>
public sealed class KeptSessions<TKey, TSession>(int capacity, TimeSpan idleTimeout)
    where TKey : notnull
{
    /// <summary>How late for its poll a mailbox may be (a deferred attempt, a slow silo) before its session counts as abandoned.</summary>
    public static readonly TimeSpan OverdueGrace = TimeSpan.FromMinutes(1);

    private readonly Dictionary<TKey, Entry> byKey = [];
    private readonly SortedSet<Entry> byNextUse = new(Comparer<Entry>.Create(static (a, b) =>
        a.NextUse != b.NextUse ? a.NextUse.CompareTo(b.NextUse) : a.Sequence.CompareTo(b.Sequence)));
    private readonly LinkedList<Entry> bySince = new(); // oldest first: sessions are kept in the order they went idle
    private long sequence;

    public int Count => byKey.Count;

    /// <summary>The sessions kept now (enumerated under the owner's lock).</summary>
    public IEnumerable<TSession> Sessions => byKey.Values.Select(entry => entry.Session);

    /// <summary>
    /// Keeps <paramref name="session"/> for <paramref name="key"/>'s poll at <paramref name="nextUse"/>; returns what must be
    /// closed now: an earlier session of the same key, the evicted ones, or <paramref name="session"/> itself when it is the
    /// one not worth keeping.
    /// </summary>
    public IReadOnlyList<TSession> Keep(TKey key, TSession session, DateTimeOffset nextUse, DateTimeOffset now)
    {
        var closed = Expire(now);
        if (Take(key) is { } stale) closed.Add(stale);
        if (capacity <= 0 || nextUse - now >= idleTimeout)
        {
            closed.Add(session);
            return closed;
        }
        var entry = new Entry(key, session, nextUse, now, sequence++);
        byKey[key] = entry;
        byNextUse.Add(entry);
        entry.Node = bySince.AddLast(entry);
        while (byKey.Count > capacity) closed.Add(Remove(Victim(now)).Session);
        return closed;
    }

    /// <summary>The session kept for <paramref name="key"/>, no longer kept; default when there is none.</summary>
    public TSession? Take(TKey key) => byKey.TryGetValue(key, out var entry) ? Remove(entry).Session : default;

    /// <summary>Removes and returns the sessions idle for <c>idleTimeout</c> or longer.</summary>
    public List<TSession> Expire(DateTimeOffset now)
    {
        List<TSession> expired = [];
        while (bySince.First is { } oldest && now - oldest.Value.Since >= idleTimeout) expired.Add(Remove(oldest.Value).Session);
        return expired;
    }

    /// <summary>Removes and returns every kept session.</summary>
    public List<TSession> Clear()
    {
        List<TSession> all = [.. byKey.Values.Select(e => e.Session)];
        byKey.Clear();
        byNextUse.Clear();
        bySince.Clear();
        return all;
    }

    /// <summary>An abandoned session first, else the one needed last.</summary>
    private Entry Victim(DateTimeOffset now) =>
        now - byNextUse.Min!.NextUse > OverdueGrace ? byNextUse.Min : byNextUse.Max!;

    private Entry Remove(Entry entry)
    {
        byKey.Remove(entry.Key);
        byNextUse.Remove(entry);
        bySince.Remove(entry.Node!);
        return entry;
    }

    private sealed class Entry(TKey key, TSession session, DateTimeOffset nextUse, DateTimeOffset since, long sequence)
    {
        public TKey Key { get; } = key;

        public TSession Session { get; } = session;

        public DateTimeOffset NextUse { get; } = nextUse;

        public DateTimeOffset Since { get; } = since;

        public long Sequence { get; } = sequence;

        public LinkedListNode<Entry>? Node { get; set; }
    }
}
