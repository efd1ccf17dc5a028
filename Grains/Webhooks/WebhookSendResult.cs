namespace MailSync.Grains.Webhooks;

/// <summary>What one delivery request got: a 2xx, another HTTP status, or no answer (the reason in words, no internals).</summary>
public sealed record WebhookSendResult(bool Succeeded, int? StatusCode, string? Error);
