namespace MailSync.Grains.Interfaces.Companies;

/// <summary>
/// What the operator sets for a company: its display name, how many mailboxes it pays to sync, and whether a mail account
/// other than a user's registered address may be connected by sign-in (once the user confirms it).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.CompanyProfile")]
public sealed record CompanyProfile(
    [property: Id(0)] string CompanyId,
    [property: Id(1)] string Name,
    [property: Id(2)] int MailboxSyncLimit,
    [property: Id(3)] OtherMailAccounts OtherMailAccounts = OtherMailAccounts.Confirm);
