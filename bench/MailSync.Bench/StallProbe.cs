using System.Diagnostics;

namespace MailSync.Bench;

/// <summary>
/// Asks a question every half second and remembers how long each answer took and when it was asked: a process that stops
/// answering for seconds (a GC pause, a starved thread pool, a node event loop busy with one request, a mail server's
/// scheduler) shows as one long answer, where throughput figures only show a dip. A failed question counts as answered.
/// </summary>
public sealed class StallProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly List<(double At, double Took)> answers = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Task loop;
    private readonly IDisposable? owned;

    private StallProbe(Func<CancellationToken, Task> ask, IDisposable? owned)
    {
        this.owned = owned;
        loop = Task.Run(() => RunAsync(ask));
    }

    /// <summary>GETs <paramref name="url"/>; any HTTP status is an answer.</summary>
    public static StallProbe Http(string url)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        return new StallProbe(async cancellationToken => (await http.GetAsync(url, cancellationToken)).Dispose(), http);
    }

    /// <summary>Asks with <paramref name="ask"/>, and disposes <paramref name="owned"/> at the end.</summary>
    public static StallProbe Of(Func<CancellationToken, Task> ask, IDisposable? owned = null) => new(ask, owned);

    /// <summary>Time since the probe started: what the summary's times count from.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    private async Task RunAsync(Func<CancellationToken, Task> ask)
    {
        while (!stop.IsCancellationRequested)
        {
            var at = clock.Elapsed.TotalSeconds;
            var asked = Stopwatch.StartNew();
            try
            {
                await ask(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // a refused or timed-out question took as long as it took
            }
            lock (answers) answers.Add((at, asked.Elapsed.TotalSeconds));
            try
            {
                await Task.Delay(500, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>"p50 0.01 s, max 19.4 s (asked at 73 s), 3 over 1 s of 400", times from the probe's start.</summary>
    public string Summary()
    {
        List<(double At, double Took)> all;
        lock (answers) all = [.. answers];
        if (all.Count == 0) return "no answer";
        var sorted = all.Select(a => a.Took).Order().ToList();
        var longest = all.MaxBy(a => a.Took);
        return $"p50 {Quantiles.At(sorted, 0.5):F2} s, max {longest.Took:F1} s (asked at {longest.At:F0} s), "
            + $"{sorted.Count(t => t > 1)} over 1 s of {sorted.Count}";
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        owned?.Dispose();
        stop.Dispose();
    }
}
