namespace MailSync.Grains.Timeline;

/// <summary>
/// One bounded step of removing the timeline entries a <see cref="TimelineRowFilter"/> selects (a user's, or those of a
/// never-log entry): how many went, and where the next step goes on from (an opaque position; null once every row the
/// filter can select was looked at).
/// </summary>
public sealed record TimelineDeletionStep(int Deleted, string? Next)
{
    public bool Done => Next is null;
}
