namespace MailSync.Grains.Interfaces.NeverLog;

/// <summary>
/// Where removing what was recorded for new never-log entries stands: <see cref="EntriesWaiting"/> list entries whose
/// removal has not finished, <see cref="TimelineEntriesRemoved"/> timeline entries removed so far (all time).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.NeverLogRemoval")]
public sealed record NeverLogRemoval(
    [property: Id(0)] int EntriesWaiting,
    [property: Id(1)] long TimelineEntriesRemoved,
    [property: Id(2)] DateTimeOffset? FinishedAt);
