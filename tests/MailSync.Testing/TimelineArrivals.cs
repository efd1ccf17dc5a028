using System.Collections.Concurrent;
using MailSync.Grains.Interfaces.Timeline;

namespace MailSync.Testing;

/// <summary>
/// Which of many timelines already show their expected message, read as a healing cluster allows: concurrently (32 in
/// flight), each read bounded, a read that fails or is held up counting as "not yet". Read one after another, one
/// held-up read used up the whole deadline of a cluster test.
/// </summary>
public static class TimelineArrivals
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    public static async Task<IReadOnlyList<int>> ShownAsync(
        ITimelineReaderGrain reader, IEnumerable<int> waiting, Func<int, string> leadId, Func<int, string> subject)
    {
        var shown = new ConcurrentBag<int>();
        await Parallel.ForEachAsync(waiting, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            try
            {
                var page = await reader.GetPage(leadId(i), 50, null).WaitAsync(ReadTimeout);
                if (page.Items.Any(e => e.Subject == subject(i))) shown.Add(i);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                // healing: asked again next round
            }
        });
        return [.. shown];
    }
}
