namespace MailSync.Grains.Interfaces.Companies;

/// <summary>
/// The seats of a company at a glance: its limit, how many seats are held, and the Pending queue (its length and, in
/// queue order, its first <see cref="MaxPendingListed"/> users). Small at any company size.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.CompanyOverview")]
public sealed record CompanyOverview(
    [property: Id(0)] string CompanyId,
    [property: Id(1)] int MailboxSyncLimit,
    [property: Id(2)] int SeatsUsed,
    [property: Id(3)] int PendingCount,
    [property: Id(4)] IReadOnlyList<string> Pending)
{
    public const int MaxPendingListed = 500;
}
