namespace MailSync.Grains.Timeline;

/// <summary>
/// Which of a company's timeline rows a deletion removes: those a user's mailbox wrote (<see cref="UserId"/>; storage
/// filters on it), and of those the ones whose participants <see cref="Matches"/> says (read and tested here).
/// </summary>
public sealed record TimelineRowFilter(string? UserId, Func<TimelineParticipants, bool>? Matches = null);

/// <summary>Who a stored row says took part in its email: the mailbox that recorded it and the addresses it lists.</summary>
public sealed record TimelineParticipants(string UserId, string From, IReadOnlyList<string> To, IReadOnlyList<string> Cc)
{
    public IEnumerable<string> Addresses => To.Concat(Cc).Append(From);
}
