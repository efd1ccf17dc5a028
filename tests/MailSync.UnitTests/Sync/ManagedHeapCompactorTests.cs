using MailSync.Grains.Sync;
using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using MailSync.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.UnitTests.Sync;

public sealed class ManagedHeapCompactorTests
{
    private readonly FakeTimeProvider time = new();
    private int compactions;

    private ManagedHeapCompactor Compactor(TimeSpan interval) => new(
        Options.Create(new MailSyncOptions { ManagedHeapCompactInterval = interval }), new MailSyncClock(time),
        () => Interlocked.Increment(ref compactions));

    [Fact]
    public async Task The_heap_is_compacted_each_time_the_interval_passes_when_one_is_set()
    {
        var interval = TimeSpan.FromMinutes(5);
        using var compactor = Compactor(interval);
        await compactor.StartAsync(CancellationToken.None);

        // The service starts its timer on a thread of its own: time moves on until the timer has seen an interval pass.
        Task<int> AfterAnInterval()
        {
            time.Advance(interval);
            return Task.FromResult(Volatile.Read(ref compactions));
        }
        var first = await Poll.UntilAsync(AfterAnInterval, n => n >= 1, TimeSpan.FromSeconds(10), "a compaction");
        await Poll.UntilAsync(AfterAnInterval, n => n > first, TimeSpan.FromSeconds(10), "the next compaction");

        await compactor.StopAsync(CancellationToken.None);
        Assert.True(compactor.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task By_default_the_GC_alone_decides()
    {
        using var compactor = Compactor(new MailSyncOptions().ManagedHeapCompactInterval);
        await compactor.StartAsync(CancellationToken.None);
        await compactor.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, compactions);
    }
}
