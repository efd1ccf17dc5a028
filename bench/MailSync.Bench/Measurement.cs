using System.Diagnostics;

namespace MailSync.Bench;

/// <summary>Wall time of one run, and what it used: CPU here and in the other processes (Dovecot, Azurite), bytes allocated here.</summary>
public sealed record Measurement(TimeSpan Wall, ResourceUsage Usage)
{
    /// <summary>
    /// The CPU Azurite used meanwhile, where the benchmark reads it. Dovecot's is not split out: a session's imap process
    /// is accounted to Dovecot's master only once it is reaped, which may be in the next round.
    /// </summary>
    public TimeSpan Azurite { get; init; }

    /// <summary>As <see cref="OfAsync(Func{Task})"/>, with the CPU Azurite used meanwhile.</summary>
    public static async Task<Measurement> OfAsync(Func<Task> run, TestServerProcesses servers)
    {
        var before = servers.Cpu().Azurite;
        var measured = await OfAsync(run);
        return measured with { Azurite = servers.Cpu().Azurite - before };
    }

    public static async Task<Measurement> OfAsync(Func<Task> run)
    {
        var before = ResourceUsage.Now();
        var wall = Stopwatch.StartNew();
        await run();
        wall.Stop();
        return new Measurement(wall.Elapsed, ResourceUsage.Now() - before);
    }

    public static Measurement Median(IEnumerable<Measurement> runs)
    {
        var sorted = runs.OrderBy(r => r.Wall).ToList();
        return sorted[sorted.Count / 2];
    }
}

/// <summary>CPU of this process and of the whole machine (from /proc/stat), and this process's allocations.</summary>
public readonly record struct ResourceUsage(TimeSpan Cpu, TimeSpan MachineCpu, long Allocated)
{
    public static ResourceUsage Now() => new(Process.GetCurrentProcess().TotalProcessorTime, BusyMachineTime(), GC.GetTotalAllocatedBytes(precise: true));

    public static ResourceUsage operator -(ResourceUsage after, ResourceUsage before) =>
        new(after.Cpu - before.Cpu, after.MachineCpu - before.MachineCpu, after.Allocated - before.Allocated);

    public override string ToString() =>
        $"cpu {Cpu.TotalMilliseconds:N0} ms here + {(MachineCpu - Cpu).TotalMilliseconds:N0} ms in other processes, {Allocated / 1e6:N0} MB allocated here";

    private static TimeSpan BusyMachineTime()
    {
        if (!File.Exists("/proc/stat")) return TimeSpan.Zero;
        // "cpu  user nice system idle iowait irq softirq steal ..." in USER_HZ (1/100 s) ticks; busy = all but idle and iowait.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return TimeSpan.FromMilliseconds((ticks.Sum() - ticks[3] - ticks[4]) * 10);
    }
}
