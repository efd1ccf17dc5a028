using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Interfaces.Companies;

/// <summary>
/// Company-wide reads and user registration (key: companyId), served from per-company rows that mailbox grains keep
/// current: never one grain call per user. Stateless, so reads spread over silos.
/// </summary>
[Alias("MailSync.ICompanyDirectoryGrain")]
public interface ICompanyDirectoryGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates a user of the company.</summary>
    [Alias("UpsertUser")]
    Task<(CompanyUser User, bool Created)> UpsertUser(CompanyUser user);

    /// <summary>The registered user, or null.</summary>
    [Alias("GetUser")]
    Task<CompanyUser?> GetUser(string userId);

    /// <summary>
    /// Users (registered or with a mailbox) in user-id order, each with their mailbox status, optionally only those in
    /// <paramref name="status"/>. Throws <see cref="ArgumentException"/> for a continuation token that is not ours.
    /// </summary>
    [Alias("GetUsers")]
    Task<MailboxPage> GetUsers(int limit, string? continuation, MailboxStatus? status);

    /// <summary>The company error log: every user's entries, newest first.</summary>
    [Alias("GetErrors")]
    Task<IReadOnlyList<CompanyError>> GetErrors(int limit);

    /// <summary>Billable seconds per user over [from, to).</summary>
    [Alias("GetBilling")]
    Task<IReadOnlyList<UserBilling>> GetBilling(DateTimeOffset from, DateTimeOffset to);

    /// <summary>
    /// How many of the company's stored mailbox secrets each encryption key sealed, in key-id order, counted from the
    /// status rows (a mailbox writes its key id there whenever it seals or re-seals). The cluster's answer is the sum over
    /// companies; a key with no secrets left anywhere can be removed from <c>Secrets:Keys</c>.
    /// </summary>
    [Alias("GetSecretKeys")]
    Task<IReadOnlyList<SecretKeyCount>> GetSecretKeys();
}
