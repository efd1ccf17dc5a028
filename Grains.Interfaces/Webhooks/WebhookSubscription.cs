namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>A company's webhook subscription as readers see it: never its secret.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.WebhookSubscription")]
public sealed record WebhookSubscription(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] IReadOnlyList<string> Events,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset UpdatedAt);
