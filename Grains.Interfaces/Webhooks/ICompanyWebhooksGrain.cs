namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>
/// A company's webhook subscriptions and its event log (key: companyId). Mailboxes hand it the events of their outbox;
/// it numbers them, writes them to the company's event rows in order and tells each subscription's delivery grain.
/// </summary>
[Alias("MailSync.ICompanyWebhooksGrain")]
public interface ICompanyWebhooksGrain : IGrainWithStringKey
{
    [Alias("Put")]
    Task<WebhookPutResult> Put(string subscriptionId, WebhookSubscriptionInput input);

    [Alias("Get")]
    Task<WebhookSubscription?> Get(string subscriptionId);

    [Alias("List")]
    Task<IReadOnlyList<WebhookSubscription>> List();

    [Alias("Delete")]
    Task<bool> Delete(string subscriptionId);

    /// <summary>Appends a mailbox's events (in its order) to the company's log; a repeated hand-off appends them again.</summary>
    [Alias("Append")]
    Task Append(IReadOnlyList<MailboxEvent> events);
}
