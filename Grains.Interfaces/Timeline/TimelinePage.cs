namespace MailSync.Grains.Interfaces.Timeline;

/// <summary>A page of a lead's timeline, newest first; <see cref="Next"/> continues it, null at the end.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.TimelinePage")]
public sealed record TimelinePage([property: Id(0)] IReadOnlyList<TimelineEntry> Items, [property: Id(1)] string? Next);
