namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>
/// What the operator puts: a validated URL and event types, and
/// the secret (<c>whsec_</c>…), null to keep the stored one.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.WebhookSubscriptionInput")]
public sealed record WebhookSubscriptionInput(
    [property: Id(0)] string Url,
    [property: Id(1)] IReadOnlyList<string> Events,
    [property: Id(2)] string? Secret)
{
    /// <summary>Never the secret: records print themselves into logs and exceptions.</summary>
    public override string ToString() => $"WebhookSubscriptionInput {{ Url = {Url}, Events = [{string.Join(", ", Events)}] }}";
}
