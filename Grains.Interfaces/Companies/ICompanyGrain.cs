namespace MailSync.Grains.Interfaces.Companies;

/// <summary>One company (key: companyId): its profile and, as the single source of truth, its mailbox seats.</summary>
[Alias("MailSync.ICompanyGrain")]
public interface ICompanyGrain : IGrainWithStringKey
{
    /// <summary>Creates or updates the company; returns the stored profile and whether it was new.</summary>
    [Alias("Upsert")]
    Task<(CompanyProfile Profile, bool Created)> Upsert(string name, int mailboxSyncLimit);

    /// <summary>The profile, or null when the company was never created.</summary>
    [Alias("GetProfile")]
    Task<CompanyProfile?> GetProfile();
}
