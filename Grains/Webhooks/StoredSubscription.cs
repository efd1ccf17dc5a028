using MailSync.Shared.Secrets;

namespace MailSync.Grains.Webhooks;

/// <summary>A subscription as the company's webhooks grain keeps it: the secret sealed (purpose: company and subscription).</summary>
[GenerateSerializer]
[Alias("MailSync.StoredSubscription")]
public sealed record StoredSubscription(
    [property: Id(0)] string Url,
    [property: Id(1)] List<string> Events,
    [property: Id(2)] EncryptedSecret Secret,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt,
    [property: Id(5)] long Generation)
{
    public static string Purpose(string companyId, string subscriptionId) => $"webhook|{companyId}|{subscriptionId}";

    /// <summary>Never the secret, not even sealed, in logs.</summary>
    public override string ToString() => $"StoredSubscription {{ Url = {Url}, Generation = {Generation} }}";
}
