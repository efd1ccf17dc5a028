using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Grains.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSync.UnitTests.Webhooks;

public sealed class MailboxOutboxTests
{
    private static readonly MailboxKey Key = new("acme", "ann");
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static MailboxView View(MailboxStatus status, MailboxError? lastError = null) =>
        new("acme", "ann", "ann@acme.test", MailboxProvider.Custom, status, null, lastError, 0, null, null, null);

    [Fact]
    public void A_status_change_becomes_one_event_with_both_statuses_and_the_last_error()
    {
        var outbox = new MailboxOutbox();
        var events = new MailboxEvents(NullLogger.Instance);
        var error = new MailboxError(Now, MailboxErrorCode.AuthenticationFailed, "m", "f", "d", 1);

        events.Observe(outbox, Key, View(MailboxStatus.Pending), Now);
        events.Observe(outbox, Key, View(MailboxStatus.Pending), Now); // no change: no event
        events.Observe(outbox, Key, View(MailboxStatus.Error, error), Now);

        Assert.Equal([(MailboxStatus.NotConfigured, MailboxStatus.Pending), (MailboxStatus.Pending, MailboxStatus.Error)],
            outbox.Pending.Select(e => (e.OldStatus!.Value, e.NewStatus!.Value)));
        Assert.Contains("\"lastError\":{", outbox.Pending[1].Data);
        Assert.Contains("\"code\":\"AuthenticationFailed\"", outbox.Pending[1].Data);
        Assert.All(outbox.Pending, e => Assert.Equal(WebhookEventTypes.StatusChanged, e.Type));
        Assert.Equal(2, outbox.Pending.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public void A_mailbox_older_than_its_outbox_announces_nothing_for_the_status_it_already_had()
    {
        var outbox = new MailboxOutbox();
        MailboxEvents.Activated(outbox, MailboxStatus.Enabled);

        new MailboxEvents(NullLogger.Instance).Observe(outbox, Key, View(MailboxStatus.Enabled), Now);

        Assert.Empty(outbox.Pending);
    }

    [Fact]
    public void Keeps_at_most_1000_events_dropping_the_oldest()
    {
        var outbox = new MailboxOutbox();
        for (var i = 0; i < MailboxOutbox.Limit; i++) Assert.False(outbox.Add(Key, WebhookEventTypes.Error, Now, "{}"));

        Assert.True(outbox.Add(Key, WebhookEventTypes.Error, Now, "{}"));

        Assert.Equal(MailboxOutbox.Limit, outbox.Pending.Count);
        Assert.Equal(MailboxEventPayloads.EventId(Key, 2), outbox.Pending[0].Id);
        Assert.Equal(1, outbox.Dropped);
    }

    [Fact]
    public void Event_data_stays_within_2048_characters_by_dropping_the_server_detail_first()
    {
        var huge = new MailboxError(Now, MailboxErrorCode.ProtocolError, new string('m', 600), new string('f', 600), new string('d', 1000), 1);

        var data = MailboxEventPayloads.ErrorLogged(Key, huge);

        Assert.InRange(data.Length, 1, MailboxEventPayloads.MaxDataLength);
        Assert.DoesNotContain("ddd", data);
        Assert.Contains("mmm", data);
    }
}
