namespace MailSync.Grains.Scheduling;

/// <summary>
/// The mailboxes of one keeper shard that poll: ~70 bytes each, so one shard's row holds ~14,000 within Azure's 1 MiB
/// entity (MailSync:ScheduleShards × 14,000 mailboxes in all).
/// </summary>
[GenerateSerializer, Alias("MailSync.KeeperState")]
public sealed class KeeperState
{
    [Id(0)]
    public HashSet<string> Mailboxes { get; set; } = new(StringComparer.Ordinal);
}
