namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>Where a subscription's deliveries stand: paused (and why), failing since when, the next retry.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.WebhookDeliveryStatus")]
public sealed record WebhookDeliveryStatus(
    [property: Id(0)] bool Paused,
    [property: Id(1)] string? PausedReason,
    [property: Id(2)] DateTimeOffset? PausedAt,
    [property: Id(3)] DateTimeOffset? FailingSince,
    [property: Id(4)] DateTimeOffset? NextAttemptAt,
    [property: Id(5)] long DeliveredUpTo);
