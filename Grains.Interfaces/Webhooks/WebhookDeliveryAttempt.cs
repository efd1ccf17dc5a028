namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>One delivery attempt of one event: the receiver's HTTP status (null when none came) or what went wrong.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.WebhookDeliveryAttempt")]
public sealed record WebhookDeliveryAttempt(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset AttemptedAt,
    [property: Id(3)] int Attempt,
    [property: Id(4)] bool Succeeded,
    [property: Id(5)] int? StatusCode,
    [property: Id(6)] string? Error);
