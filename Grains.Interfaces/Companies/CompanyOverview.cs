namespace MailSync.Grains.Interfaces.Companies;

/// <summary>The seat ledger of a company: its limit, who holds a seat, who waits (in queue order), and every user seen.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.CompanyOverview")]
public sealed record CompanyOverview(
    [property: Id(0)] string CompanyId,
    [property: Id(1)] int MailboxSyncLimit,
    [property: Id(2)] IReadOnlyList<string> SeatHolders,
    [property: Id(3)] IReadOnlyList<string> Pending,
    [property: Id(4)] IReadOnlyList<string> KnownUsers)
{
    public int SeatsUsed => SeatHolders.Count;
}
