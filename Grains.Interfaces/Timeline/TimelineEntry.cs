namespace MailSync.Grains.Interfaces.Timeline;

/// <summary>One email on one lead's timeline, as seen by the mailbox of <see cref="UserId"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.TimelineEntry")]
public sealed record TimelineEntry(
    [property: Id(0)] string LeadId,
    [property: Id(1)] string MessageId,
    [property: Id(2)] string Subject,
    [property: Id(3)] DateTimeOffset Date,
    [property: Id(4)] MessageDirection Direction,
    [property: Id(5)] string From,
    [property: Id(6)] IReadOnlyList<string> To,
    [property: Id(7)] IReadOnlyList<string> Cc,
    [property: Id(8)] string UserId);
