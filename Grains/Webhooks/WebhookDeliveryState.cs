using MailSync.Grains.Interfaces.Webhooks;

namespace MailSync.Grains.Webhooks;

[GenerateSerializer]
[Alias("MailSync.WebhookDeliveryState")]
public sealed class WebhookDeliveryState
{
    /// <summary>Attempts kept for <c>…/deliveries</c>, newest last.</summary>
    public const int AttemptsKept = 100;

    [Id(0)] public WebhookTarget? Target { get; set; }

    /// <summary>The log position delivered (or skipped: another type) up to.</summary>
    [Id(1)] public long Cursor { get; set; }

    [Id(2)] public int Failures { get; set; }

    [Id(3)] public DateTimeOffset? FailingSince { get; set; }

    [Id(4)] public DateTimeOffset? NextAttemptAt { get; set; }

    [Id(5)] public string? PausedReason { get; set; }

    [Id(6)] public DateTimeOffset? PausedAt { get; set; }

    [Id(7)] public List<WebhookDeliveryAttempt> Attempts { get; set; } = [];

    public void Record(WebhookDeliveryAttempt attempt)
    {
        Attempts.Add(attempt);
        if (Attempts.Count > AttemptsKept) Attempts.RemoveRange(0, Attempts.Count - AttemptsKept);
    }
}
