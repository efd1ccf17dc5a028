using System.ComponentModel.DataAnnotations;

namespace MailSync.Shared.Webhooks;

/// <summary>Configuration section <c>Webhooks</c>: how deliveries retry and what a company may subscribe.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Subscriptions one company may have.</summary>
    [Range(1, 100)]
    public int MaxSubscriptionsPerCompany { get; set; } = 10;

    /// <summary>The first retry after a failed delivery; each further one waits twice as long, up to <see cref="RetryMax"/>.</summary>
    public TimeSpan RetryInitial { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMax { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A subscription whose deliveries have failed for this long is paused (a PUT resumes it).</summary>
    public TimeSpan PauseAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Longest one delivery request may take.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the company's event log (the change feed, undelivered events) is kept.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Plain <c>http://</c> receivers: for development and the test suite only (their receivers are on loopback).</summary>
    public bool AllowHttp { get; set; }

    /// <summary>
    /// The period of the reminder that brings a delivery with work
    /// left back after a silo loss (≥ 1 min in production).
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);
}
