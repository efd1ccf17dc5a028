namespace MailSync.Grains.Interfaces.Leads;

/// <summary>A lead of a company: the person whose emails land on a timeline.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.Lead")]
public sealed record Lead([property: Id(0)] string LeadId, [property: Id(1)] string Email, [property: Id(2)] string? Name);
