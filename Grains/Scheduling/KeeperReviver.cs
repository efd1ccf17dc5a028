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
                await Task.WhenAll(Enumerable.Range(0, shards).Select(shard => grains.GetGrain<IScheduleKeeperGrain>(shard).Ping()));
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
