using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// Compacts the managed heap and hands the freed memory back to the system every
/// <see cref="MailSyncOptions.ManagedHeapCompactInterval"/>, if set: between the full collections the GC chooses, the heap
/// holds the garbage of passes long done (at 5,000 mailboxes, once a minute: GC committed 49 instead of 98 KB and RSS
/// 167 instead of 184 KB per mailbox, for a full blocking collection each time). Off by default.
/// </summary>
public sealed class ManagedHeapCompactor(IOptions<MailSyncOptions> options, MailSyncClock clock, Action? compact = null)
    : BackgroundService
{
    private readonly Action compact =
        compact ?? (() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ManagedHeapCompactInterval;
        if (interval <= TimeSpan.Zero) return;
        using var ticks = new PeriodicTimer(interval, clock.Time);
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken)) compact();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping
        }
    }
}
