using MailSync.Grains.Webhooks;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>Test-only calls on a webhook delivery grain, installed on the test silos (never in production).</summary>
[Alias("MailSync.Tests.IWebhookDeliveryTestHooks")]
public interface IWebhookDeliveryTestHooks : IGrainExtension
{
    /// <summary>Does what the delivery's retry timer does: tests move the fake clock, then kick the delivery.</summary>
    [Orleans.Concurrency.AlwaysInterleave, Alias("Kick")]
    Task Kick();
}

public sealed class WebhookDeliveryTestHooks(IGrainContext context) : IWebhookDeliveryTestHooks
{
    public Task Kick()
    {
        ((WebhookDeliveryGrain)context.GrainInstance!).Kick();
        return Task.CompletedTask;
    }
}
