using System.Text.Json.Serialization;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Api.Mailboxes;

public sealed record ImapRequest(string? Host, int? Port, string? Security);

public sealed record ConnectRequest(string? Provider, string? Email, string? Username, string? Password, ImapRequest? Imap);

public sealed record ErrorEntryResponse(
    DateTimeOffset OccurredAt,
    string Code,
    string Message,
    string Fix,
    string? Detail,
    int Attempt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId = null)
{
    public static ErrorEntryResponse From(MailboxError e, string? userId = null) =>
        new(e.OccurredAt, e.Code.ToString(), e.Message, e.Fix, e.Detail, e.Attempt, userId);
}

public sealed record MailboxResponse(
    string UserId,
    string? Email,
    string? Provider,
    string Status,
    string Color,
    DateTimeOffset? LastSyncAt,
    ErrorEntryResponse? LastError,
    long MessagesSynced,
    bool Billable,
    DateTimeOffset? PendingSince)
{
    public static MailboxResponse From(MailboxView v) => new(
        v.UserId, v.Email, v.Provider is { } p ? ProviderNames.Of(p) : null, v.Status.ToString(), v.Color, v.LastSyncAt,
        v.LastError is { } e ? ErrorEntryResponse.From(e) : null, v.MessagesSynced, v.Billable, v.PendingSince);
}

public sealed record OverviewResponse(int MailboxSyncLimit, int SeatsUsed, IReadOnlyList<string> Pending, IReadOnlyList<MailboxResponse> Users);

/// <summary>The provider names of the public contract.</summary>
public static class ProviderNames
{
    public const string Google = "google";
    public const string GoogleAppPassword = "google-app-password";
    public const string Custom = "custom";

    public static string Of(MailboxProvider provider) => provider switch
    {
        MailboxProvider.Google => Google,
        MailboxProvider.GoogleAppPassword => GoogleAppPassword,
        _ => Custom,
    };
}
