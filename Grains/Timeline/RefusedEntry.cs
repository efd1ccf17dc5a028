using MailSync.Grains.Interfaces.Timeline;

namespace MailSync.Grains.Timeline;

/// <summary>An entry storage would not take (too large even after bounding, or refused by the service): skipped, never retried.</summary>
public sealed record RefusedEntry(TimelineEntry Entry, string Reason);
