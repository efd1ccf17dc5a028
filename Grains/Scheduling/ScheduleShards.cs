using System.Text;

namespace MailSync.Grains.Scheduling;

/// <summary>Which schedule keeper shard watches a mailbox: a hash stable across processes and versions (FNV-1a of the key).</summary>
public static class ScheduleShards
{
    public static int Of(string mailbox, int shards)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(mailbox))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return (int)(hash % (uint)shards);
    }
}
