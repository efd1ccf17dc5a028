namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>
/// A silo's gate to one company's event log (key: companyId; one activation per silo): the hand-offs of all the silo's
/// mailboxes of the company that arrive while one append is written go to the log together, in the order they came.
/// </summary>
[Alias("MailSync.IEventLogBatcherGrain")]
public interface IEventLogBatcherGrain : IGrainWithStringKey
{
    /// <summary>Completes once the company's log took <paramref name="events"/> (as <see cref="ICompanyWebhooksGrain.Append"/>).</summary>
    [Alias("Append")]
    Task Append(IReadOnlyList<MailboxEvent> events);
}
