namespace MailSync.Grains.Interfaces.Companies;

/// <summary>
/// The seat ledger of a company. <see cref="AdmissionsSinceLimitLowered"/> counts seats granted since the limit was
/// last lowered: while seats used exceed the limit it stays 0, which is the invariant of DESIGN.md §2.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.CompanyOverview")]
public sealed record CompanyOverview(
    [property: Id(0)] string CompanyId,
    [property: Id(1)] int MailboxSyncLimit,
    [property: Id(2)] IReadOnlyList<string> SeatHolders,
    [property: Id(3)] IReadOnlyList<string> Pending,
    [property: Id(4)] IReadOnlyList<string> KnownUsers,
    [property: Id(5)] int AdmissionsSinceLimitLowered)
{
    public int SeatsUsed => SeatHolders.Count;
}
