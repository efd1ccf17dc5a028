namespace MailSync.Api;

/// <summary>Every list of the API: <c>{"items": [...]}</c>, newest first where it has an order in time.</summary>
public sealed record ItemsResponse<T>(IReadOnlyList<T> Items);
