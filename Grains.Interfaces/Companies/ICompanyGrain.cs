using Orleans.Concurrency;

namespace MailSync.Grains.Interfaces.Companies;

/// <summary>
/// One company (key: companyId): its profile and, as the single source of truth, its mailbox seats. The company
/// never waits on a mailbox: promotions go out as one-way hints, so company → mailbox → company cannot deadlock. Its
/// state stays small at any size: seats are rows of their own, written one per change.
/// </summary>
[Alias("MailSync.ICompanyGrain")]
public interface ICompanyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates or updates the company (<paramref name="otherMailAccounts"/> null: as it was, <see cref="OtherMailAccounts.Confirm"/>
    /// for a new company); returns the stored profile and whether it was new.
    /// </summary>
    [Alias("Upsert")]
    Task<(CompanyProfile Profile, bool Created)> Upsert(string name, int mailboxSyncLimit, OtherMailAccounts? otherMailAccounts = null);

    /// <summary>The profile, or null when the company was never created.</summary>
    [AlwaysInterleave, Alias("GetProfile")]
    Task<CompanyProfile?> GetProfile();

    /// <summary>Grants a seat or queues the user (FIFO); idempotent for a user already holding or queued.</summary>
    [Alias("RequestSeat")]
    Task<SeatDecision> RequestSeat(string userId);

    /// <summary>Frees the user's seat or queue place (idempotent) and promotes the oldest Pending users.</summary>
    [Alias("ReleaseSeat")]
    Task ReleaseSeat(string userId);

    [AlwaysInterleave, Alias("GetOverview")]
    Task<CompanyOverview> GetOverview();

    /// <summary>Whether the user holds a seat now.</summary>
    [AlwaysInterleave, Alias("HoldsSeat")]
    Task<bool> HoldsSeat(string userId);

    /// <summary>The user's place in the Pending queue (1 = next to get a seat), or null when not queued.</summary>
    [AlwaysInterleave, Alias("GetPlaceInQueue")]
    Task<int?> GetPlaceInQueue(string userId);
}
