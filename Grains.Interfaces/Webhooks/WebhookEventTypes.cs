namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>The event types a webhook subscription may ask for, as they appear in the payload's <c>type</c>.</summary>
public static class WebhookEventTypes
{
    public const string StatusChanged = "mailbox.status_changed";
    public const string Error = "mailbox.error";
    public const string MessageAdded = "timeline.message_added";

    /// <summary>The types a subscription chooses from.</summary>
    public static readonly IReadOnlyList<string> All = [StatusChanged, Error, MessageAdded];

    /// <summary>Sent to every subscription, whatever it chose: the retention removed events before they were delivered.</summary>
    public const string EventsMissed = "mailsync.events_missed";
}
