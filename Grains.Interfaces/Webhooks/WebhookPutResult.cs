namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>The stored subscription and whether it is new, or the field and reason it was refused (nothing changed).</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.WebhookPutResult")]
public sealed record WebhookPutResult(
    [property: Id(0)] WebhookSubscription? Subscription,
    [property: Id(1)] bool Created,
    [property: Id(2)] string? RefusedField = null,
    [property: Id(3)] string? RefusedBecause = null);
