namespace MailSync.Grains.Interfaces.Leads;

/// <summary>
/// What an upsert did: per lead of the request, whether it was new. When <see cref="FullEmails"/> is not empty, those
/// addresses already have the most leads one address may have, and nothing was changed.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.LeadUpsertResult")]
public sealed record LeadUpsertResult([property: Id(0)] IReadOnlyList<bool> Created, [property: Id(1)] IReadOnlyList<string> FullEmails)
{
    /// <summary>The most leads one address may have (their ids fill one stored property of the address index).</summary>
    public const int MaxLeadsPerAddress = 400;
}
