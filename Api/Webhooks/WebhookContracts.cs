using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Shared.Webhooks;

namespace MailSync.Api.Webhooks;

/// <summary>A subscription as put: the secret (<c>whsec_</c>…) is write-only, required on creation, kept when omitted later.</summary>
public sealed record WebhookRequest(string? Url, List<string?>? Events, string? Secret)
{
    public WebhookSubscriptionInput? Validate(RequestErrors errors, bool allowHttp, bool allowPrivateHosts)
    {
        if (WebhookUrl.Refusal(Url, allowHttp, allowPrivateHosts) is { } refusal) errors.Add("url", refusal);
        var events = Events ?? [];
        if (events.Count == 0) errors.Add("events", $"must list at least one of: {string.Join(", ", WebhookEventTypes.All)}.");
        else if (events.Count > WebhookEventTypes.All.Count || events.Distinct().Count() != events.Count ||
            events.Any(e => e is null || !WebhookEventTypes.All.Contains(e)))
        {
            errors.Add("events", $"must list each of at most once: {string.Join(", ", WebhookEventTypes.All)}.");
        }
        if (Secret is not null && WebhookSecret.Key(Secret) is null) errors.Add("secret", WebhookSecret.Rule);
        return errors.Any ? null : new WebhookSubscriptionInput(Url!, [.. events.Select(e => e!)], Secret);
    }

    /// <summary>Never the secret.</summary>
    public override string ToString() => $"WebhookRequest {{ Url = {Url} }}";
}

public sealed record WebhookResponse(
    string Id, string Url, IReadOnlyList<string> Events, string Status, string? PausedReason, DateTimeOffset? PausedAt,
    DateTimeOffset? FailingSince, DateTimeOffset? NextAttemptAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookResponse From(WebhookSubscription s, WebhookDeliveryStatus d) => new(
        s.Id, s.Url, s.Events, d.Paused ? "paused" : "active", d.PausedReason, d.PausedAt, d.FailingSince, d.NextAttemptAt,
        s.CreatedAt, s.UpdatedAt);
}

public sealed record DeliveryAttemptResponse(
    string EventId, string Type, DateTimeOffset AttemptedAt, int Attempt, bool Succeeded, int? StatusCode, string? Error)
{
    public static DeliveryAttemptResponse From(WebhookDeliveryAttempt a) =>
        new(a.EventId, a.Type, a.AttemptedAt, a.Attempt, a.Succeeded, a.StatusCode, a.Error);
}

public sealed record ChangeResponse(
    string Cursor, string EventId, string UserId, DateTimeOffset OccurredAt, string OldStatus, string NewStatus, string? LastErrorCode)
{
    public static ChangeResponse From(StatusChange c) =>
        new(ChangeCursor.Format(c.Position), c.EventId, c.UserId, c.OccurredAt, c.OldStatus.ToString(), c.NewStatus.ToString(),
            c.LastErrorCode?.ToString());
}

public sealed record ChangesResponse(IReadOnlyList<ChangeResponse> Items, string Next);
