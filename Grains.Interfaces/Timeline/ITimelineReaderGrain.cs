namespace MailSync.Grains.Interfaces.Timeline;

/// <summary>Reads lead timelines of one company (key: companyId); stateless, so reads spread over silos.</summary>
[Alias("MailSync.ITimelineReaderGrain")]
public interface ITimelineReaderGrain : IGrainWithStringKey
{
    /// <summary>Throws <see cref="ArgumentException"/> for a continuation token that is not one of ours.</summary>
    [Alias("GetPage")]
    Task<TimelinePage> GetPage(string leadId, int limit, string? continuation);
}
