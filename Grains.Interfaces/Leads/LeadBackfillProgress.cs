namespace MailSync.Grains.Interfaces.Leads;

/// <summary>
/// Where a company's backfill stands: the current or last round (0 = none yet), the leads it covers and those waiting
/// for the next round, and how many of the round's mailboxes have read their initial window again.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.LeadBackfillProgress")]
public sealed record LeadBackfillProgress(
    [property: Id(0)] int Round,
    [property: Id(1)] bool Running,
    [property: Id(2)] long LeadsInRound,
    [property: Id(3)] long LeadsWaiting,
    [property: Id(4)] int Mailboxes,
    [property: Id(5)] int MailboxesDone,
    [property: Id(6)] DateTimeOffset? StartedAt,
    [property: Id(7)] DateTimeOffset? FinishedAt);
