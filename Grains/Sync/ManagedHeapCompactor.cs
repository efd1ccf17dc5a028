using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// Compacts the managed heap and hands the freed memory back to the system every
/// <see cref="MailSyncOptions.ManagedHeapCompactInterval"/>, if set: between the full collections the GC chooses, the heap
/// holds the garbage of passes long done (under server GC at 5,000 mailboxes, once a minute: RSS 167 instead of 184 KB per
/// mailbox; under workstation GC at 10,000, every 2 minutes: 121.7 KB, for a full blocking collection each time). Off by
/// default: both fleet runs with it had a ~20 s stall in the IDLE delivery, not yet explained (docs/adr/0050-workstation-gc.md).
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
