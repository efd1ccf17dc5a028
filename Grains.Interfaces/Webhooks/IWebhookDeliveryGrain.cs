namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>
/// Delivers one subscription's events in log order (key: <c>{companyId}/{subscriptionId}</c>): at least once, retried with
/// back-off, paused when failing for longer than Webhooks:PauseAfter.
/// </summary>
[Alias("MailSync.IWebhookDeliveryGrain")]
public interface IWebhookDeliveryGrain : IGrainWithStringKey
{
    /// <summary>New events are in the log: deliver them (and keep a reminder until they are).</summary>
    [Alias("Poke")]
    Task Poke();

    [Alias("GetStatus")]
    Task<WebhookDeliveryStatus> GetStatus();

    /// <summary>The newest <paramref name="limit"/> delivery attempts, newest first.</summary>
    [Alias("GetAttempts")]
    Task<IReadOnlyList<WebhookDeliveryAttempt>> GetAttempts(int limit);
}
