namespace MailSync.Grains.Webhooks;

/// <summary>The first position the log used at a time: the log's rows before a mark older than the retention go.</summary>
[GenerateSerializer]
[Alias("MailSync.LogMark")]
public sealed record LogMark([property: Id(0)] long Position, [property: Id(1)] DateTimeOffset At);
