namespace MailSync.Grains.Interfaces.Companies;

/// <summary>A CRM user registered with a company: address and role.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.CompanyUser")]
public sealed record CompanyUser([property: Id(0)] string UserId, [property: Id(1)] string Email, [property: Id(2)] string Role);
