namespace MailSync.Grains.Timeline;

/// <summary>
/// One bounded step of removing a user's timeline entries: how many went, and where the next step goes on from (an
/// opaque position; null when nothing of the user's remains).
/// </summary>
public sealed record TimelineDeletionStep(int Deleted, string? Next)
{
    public bool Done => Next is null;
}
