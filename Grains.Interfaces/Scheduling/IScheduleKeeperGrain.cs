using Orleans.Concurrency;

namespace MailSync.Grains.Interfaces.Scheduling;

/// <summary>
/// One shard (key: shard number) of the cluster's list of mailboxes that must stay active because they poll. It brings
/// such a mailbox back within seconds when its activation is lost (a graceful deactivation reports itself; a silo declared
/// dead is seen in the membership), instead of waiting for the mailbox's reminder. Every silo keeps every shard alive.
/// </summary>
[Alias("MailSync.IScheduleKeeperGrain")]
public interface IScheduleKeeperGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The mailbox polls and is active on <paramref name="silo"/>; it is kept from now on (saved within a second).
    /// One-way messages may arrive out of order: one with a <paramref name="sequence"/> older than the last seen is ignored.
    /// </summary>
    [OneWay, Alias("Watch")]
    Task Watch(string mailbox, SiloAddress silo, long sequence);

    /// <summary>
    /// <see cref="Watch"/>, answered once saved (false: not saved yet, the next second tries again): a connect waits for it,
    /// so a silo lost right after a connect still brings the new mailbox back.
    /// </summary>
    [Alias("Keep")]
    Task<bool> Keep(string mailbox, SiloAddress silo, long sequence);

    /// <summary>The mailbox no longer polls (disconnected, or waiting for a seat or a retry by hand).</summary>
    [OneWay, Alias("Unwatch")]
    Task Unwatch(string mailbox, long sequence);

    /// <summary>The mailbox's activation is going away (shutdown, rebalancing): bring it back on a live silo.</summary>
    [OneWay, Alias("Deactivated")]
    Task Deactivated(string mailbox);

    /// <summary>Keeps the shard active; every silo calls it every few seconds, so a shard lost with its silo comes back.</summary>
    [AlwaysInterleave, Alias("Ping")]
    Task<int> Ping();
}
