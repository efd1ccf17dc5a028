using MailSync.Grains.Sync;

namespace MailSync.UnitTests.Sync;

public sealed class WriteChainTests
{
    [Fact]
    public async Task Queued_work_runs_one_at_a_time_in_the_order_it_was_queued()
    {
        var chain = new WriteChain();
        var firstStarted = new TaskCompletionSource();
        var firstMayFinish = new TaskCompletionSource();
        var ran = new List<string>();
        chain.Enqueue(async () => { ran.Add("first started"); firstStarted.SetResult(); await firstMayFinish.Task; ran.Add("first done"); });
        chain.Enqueue(() => { ran.Add("second"); return Task.CompletedTask; });

        await firstStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["first started"], ran);
        firstMayFinish.SetResult();
        await chain.CompletedAsync();

        Assert.Equal(["first started", "first done", "second"], ran);
    }

    [Fact]
    public async Task After_a_failure_nothing_later_runs_and_the_failure_is_reported()
    {
        var chain = new WriteChain();
        var laterRan = false;
        chain.Enqueue(() => Task.FromException(new IOException("storage unavailable")));
        chain.Enqueue(() => { laterRan = true; return Task.CompletedTask; });

        await chain.DrainAsync(); // drains without throwing
        var failure = await Assert.ThrowsAsync<IOException>(chain.CompletedAsync);

        Assert.Equal("storage unavailable", failure.Message);
        Assert.False(laterRan);
    }
}
