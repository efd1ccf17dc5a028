using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Options;
using System.Collections.Concurrent;

namespace MailSync.Grains.Leads;

/// <summary>
/// The silo's bounded memory of address look-ups: (company, address digest) → lead ids, none for an address that is no
/// lead. Two generations: when the newer one holds half of <see cref="MailSyncOptions.LeadCacheEntries"/>, the older is
/// dropped. A look-up read from storage is kept only if no change to that address was announced while it was read
/// (a version per slot), so a late answer never overwrites a forget. Entries older than <see cref="MaxAge"/> are read
/// again: the backstop for a forget that a silo missed.
/// </summary>
public sealed class LeadAddressCache(IOptions<MailSyncOptions> options, MailSyncClock clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(10);
    private const int Slots = 4096;

    private readonly int generationSize = Math.Max(1, options.Value.LeadCacheEntries / 2);
    private readonly long[] versions = new long[Slots];
    private readonly Lock rotation = new();
    private ConcurrentDictionary<string, Entry> newer = new(StringComparer.Ordinal);
    private ConcurrentDictionary<string, Entry> older = new(StringComparer.Ordinal);

    public int Count => newer.Count + older.Count;

    public bool TryGet(string companyId, string addressKey, out IReadOnlyList<string> leadIds)
    {
        var key = Key(companyId, addressKey);
        if ((newer.TryGetValue(key, out var entry) || older.TryGetValue(key, out entry)) && clock.Now - entry.Read < MaxAge)
        {
            leadIds = entry.LeadIds;
            return true;
        }
        leadIds = [];
        return false;
    }

    /// <summary>Taken before reading the address from storage, and handed to <see cref="Add"/> with what was read.</summary>
    public long Version(string companyId, string addressKey) => Volatile.Read(ref versions[Slot(Key(companyId, addressKey))]);

    public void Add(string companyId, string addressKey, IReadOnlyList<string> leadIds, long version)
    {
        var key = Key(companyId, addressKey);
        ref var current = ref versions[Slot(key)];
        if (Volatile.Read(ref current) != version) return;
        if (newer.Count >= generationSize) Rotate();
        newer[key] = new Entry(leadIds, clock.Now);
        // A forget between the check and the write bumped the version: take the write back.
        if (Volatile.Read(ref current) != version) newer.TryRemove(key, out _);
    }

    public void Forget(string companyId, IEnumerable<string> addressKeys)
    {
        foreach (var addressKey in addressKeys)
        {
            var key = Key(companyId, addressKey);
            Interlocked.Increment(ref versions[Slot(key)]);
            newer.TryRemove(key, out _);
            older.TryRemove(key, out _);
        }
    }

    private void Rotate()
    {
        lock (rotation)
        {
            if (newer.Count < generationSize) return;
            older = newer;
            newer = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);
        }
    }

    private static string Key(string companyId, string addressKey) => $"{companyId}\n{addressKey}";

    private static int Slot(string key) => (int)((uint)StringComparer.Ordinal.GetHashCode(key) % Slots);

    private sealed record Entry(IReadOnlyList<string> LeadIds, DateTimeOffset Read);
}
