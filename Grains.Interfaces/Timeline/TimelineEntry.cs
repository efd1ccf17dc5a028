namespace MailSync.Grains.Interfaces.Timeline;

/// <summary>
/// One email on one lead's timeline, as seen by the mailbox of <see cref="UserId"/>. Stored entries are bounded
/// (TimelineEntryBounds of the grains): a shortened <see cref="Subject"/> ends with "…" and says so in
/// <see cref="SubjectShortened"/>; <see cref="To"/> and <see cref="Cc"/> keep at most their first 100 addresses while
/// <see cref="ToCount"/> and <see cref="CcCount"/> count them all.
/// </summary>
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
    [property: Id(8)] string UserId)
{
    [Id(9)] private readonly int toCount;
    [Id(10)] private readonly int ccCount;

    /// <summary>How many To addresses the email had; never less than <see cref="To"/> holds.</summary>
    public int ToCount { get => Math.Max(toCount, To.Count); init => toCount = value; }

    /// <summary>How many Cc addresses the email had; never less than <see cref="Cc"/> holds.</summary>
    public int CcCount { get => Math.Max(ccCount, Cc.Count); init => ccCount = value; }

    /// <summary>The subject was cut to fit storage (it ends with "…").</summary>
    [Id(11)] public bool SubjectShortened { get; init; }

    /// <summary>
    /// Set only when <see cref="MessageId"/> was shortened: the key hash of the full Message-ID, so the entry keeps the
    /// row key it always had.
    /// </summary>
    [Id(12)] public string? FullMessageIdHash { get; init; }
}
