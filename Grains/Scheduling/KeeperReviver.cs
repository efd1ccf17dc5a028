using MailSync.Grains.Interfaces.Scheduling;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Scheduling;

/// <summary>
/// Runs on every silo: pings every schedule keeper shard every <see cref="MailSyncOptions.KeeperPingInterval"/>, so a
/// shard lost with its silo is active again (on a live silo) within seconds and resumes its mailboxes.
/// </summary>
public sealed class KeeperReviver(IGrainFactory grains, IOptions<MailSyncOptions> options, ILogger<KeeperReviver> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shards = options.Value.ScheduleShards;
        using var ticks = new PeriodicTimer(options.Value.KeeperPingInterval);
        do
        {
            try
            {
                // Each ping gets one interval: a ping lost with a dying silo must not delay the next round for the others.
                var interval = options.Value.KeeperPingInterval;
                await Task.WhenAll(Enumerable.Range(0, shards)
                    .Select(shard => grains.GetGrain<IScheduleKeeperGrain>(shard).Ping().WaitAsync(interval, stoppingToken)));
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The silo is starting or stopping, or a shard's silo is being declared dead: the next round tries again.
                logger.LogDebug("Reviving schedule keepers: {Fault}", e.GetType().Name);
            }
        }
        while (await ticks.WaitForNextTickAsync(stoppingToken));
    }
}
