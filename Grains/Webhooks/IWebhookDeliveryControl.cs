namespace MailSync.Grains.Webhooks;

/// <summary>The silo-side half of the delivery grain: its company's webhooks grain configures it (never the API).</summary>
[Alias("MailSync.IWebhookDeliveryControl")]
public interface IWebhookDeliveryControl : IGrainWithStringKey
{
    /// <summary>
    /// Sets the target (null: the subscription is gone); a new subscription
    /// starts after log position <paramref name="startAfter"/>.
    /// </summary>
    [Alias("Configure")]
    Task Configure(WebhookTarget? target, long startAfter);
}
