namespace MailSync.Grains.Interfaces.Companies;

/// <summary>What the operator sets for a company: its display name and how many mailboxes it pays to sync.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.CompanyProfile")]
public sealed record CompanyProfile(
    [property: Id(0)] string CompanyId,
    [property: Id(1)] string Name,
    [property: Id(2)] int MailboxSyncLimit);
