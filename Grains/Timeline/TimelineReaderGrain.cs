using MailSync.Grains.Interfaces.Timeline;
using Orleans.Concurrency;

namespace MailSync.Grains.Timeline;

[StatelessWorker]
public sealed class TimelineReaderGrain(ITimelineStore store) : Grain, ITimelineReaderGrain
{
    public Task<TimelinePage> GetPage(string leadId, int limit, string? continuation) =>
        store.ReadPageAsync(this.GetPrimaryKeyString(), leadId, limit, continuation);
}
