using MailSync.Shared.Secrets;

namespace MailSync.Grains.Webhooks;

/// <summary>Where and what a delivery grain delivers; a new <see cref="Generation"/> (a PUT) resumes a paused subscription.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.WebhookTarget")]
public sealed record WebhookTarget(
    [property: Id(0)] string Url,
    [property: Id(1)] List<string> Events,
    [property: Id(2)] EncryptedSecret Secret,
    [property: Id(3)] long Generation)
{
    public override string ToString() => $"WebhookTarget {{ Url = {Url}, Generation = {Generation} }}";
}
