using System.Net;
using System.Text.Json.Serialization;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Network;

namespace MailSync.Api.Mailboxes;

/// <summary>
/// What this service allows when a mailbox connects with a password (from MailSync and Google options).
/// <paramref name="AllowedImapPorts"/>: the ports a custom IMAP server may use (MailSync:AllowedImapPorts); null = any
/// (MailSync:AllowAnyImapPort, tests only).
/// </summary>
public sealed record ConnectRules(
    bool AllowInsecureImap, bool AllowPrivateImapHosts, ImapEndpoint GoogleImap, IReadOnlyList<int>? AllowedImapPorts);

public sealed record ImapRequest(string? Host, int? Port, string? Security)
{
    public ImapEndpoint? Validate(RequestErrors errors, ConnectRules rules)
    {
        var host = errors.Host("imap.host", Host);
        if (host is not null && !rules.AllowPrivateImapHosts && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
                                                                (IPAddress.TryParse(host, out var ip) && !PublicAddress.Is(ip))))
        {
            errors.Add("imap.host", "is a private or local address; use the IMAP server's public host name.");
            host = null;
        }
        var port = errors.Range("imap.port", Port, 1, 65535);
        if (port is { } given && rules.AllowedImapPorts is { } allowed && !allowed.Contains(given))
        {
            errors.Add("imap.port", $"is not an IMAP port this service connects to; use {string.Join(" or ", allowed)}.");
            port = null;
        }
        var security = errors.OneOf("imap.security", Security, "ssl", "starttls", "none");
        if (security == "none" && !rules.AllowInsecureImap)
        {
            errors.Add("imap.security", "'none' sends the password unencrypted and is not allowed on this service; use ssl or starttls.");
            return null;
        }
        if (host is null || port is not { } validPort || security is null) return null;
        return new ImapEndpoint(host, validPort, security switch
        {
            "ssl" => ImapSecurity.Ssl,
            "starttls" => ImapSecurity.StartTls,
            _ => ImapSecurity.None,
        });
    }
}

public sealed record ConnectRequest(string? Provider, string? Email, string? Username, string? Password, ImapRequest? Imap)
{
    public const int MaxPasswordLength = 1024;

    /// <summary>The credentials to connect with, or null with every problem recorded in <paramref name="errors"/>.</summary>
    public MailboxCredentials? Validate(RequestErrors errors, ConnectRules rules)
    {
        var provider = errors.OneOf("provider", Provider, ProviderNames.Custom, ProviderNames.GoogleAppPassword);
        var email = errors.Email("email", Email);
        var username = errors.Text("username", Username, 256, required: provider == ProviderNames.Custom);
        var password = Password;
        if (string.IsNullOrEmpty(password)) errors.Add("password", "is required.");
        else if (password.Length > MaxPasswordLength) errors.Add("password", $"must be at most {MaxPasswordLength} characters.");

        ImapEndpoint? imap = null;
        if (provider == ProviderNames.GoogleAppPassword)
        {
            if (Imap is not null) errors.Add("imap", "must be omitted for google-app-password: Gmail's IMAP server is used.");
            imap = rules.GoogleImap;
        }
        else if (provider == ProviderNames.Custom)
        {
            if (Imap is null) errors.Add("imap", "is required for provider custom: host, port and security.");
            imap = Imap?.Validate(errors, rules);
        }
        if (errors.Any || email is null || password is null || imap is null) return null;
        return new MailboxCredentials(
            provider == ProviderNames.Custom ? MailboxProvider.Custom : MailboxProvider.GoogleAppPassword,
            email, username ?? email, password, imap);
    }
}

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
    DateTimeOffset? PendingSince,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? FailingSince,
    int? PlaceInQueue)
{
    public static MailboxResponse From(MailboxView v) => WithPlaceInQueue(v, null);

    /// <param name="v">The mailbox; its next attempt is shown only while it syncs (Enabled, Error: the billed statuses).</param>
    /// <param name="placeInQueue">The Pending user's place in the company's queue (1 = next), when it was asked for.</param>
    public static MailboxResponse WithPlaceInQueue(MailboxView v, int? placeInQueue) => new(
        v.UserId, v.Email, v.Provider is { } p ? ProviderNames.Of(p) : null, v.Status.ToString(), v.Color, v.LastSyncAt,
        v.LastError is { } e ? ErrorEntryResponse.From(e) : null, v.MessagesSynced, v.Billable, v.PendingSince,
        v.Status.IsBilled() ? v.NextAttemptAt : null, v.FailingSince, v.Status == MailboxStatus.Pending ? placeInQueue : null);
}

/// <summary>The company's Mail Sync at a glance: seats, the Pending queue (first 500, in order) and the first page of users.</summary>
public sealed record OverviewResponse(
    int MailboxSyncLimit, int SeatsUsed, IReadOnlyList<string> Pending, int PendingCount, IReadOnlyList<MailboxResponse> Users,
    string? Next);

/// <summary>A page of users with their mailbox status; <see cref="Next"/> continues it (null at the end).</summary>
public sealed record UsersResponse(IReadOnlyList<MailboxResponse> Items, string? Next);

/// <summary>The provider names of the public contract.</summary>
public static class ProviderNames
{
    public const string Google = "google";
    public const string GoogleAppPassword = "google-app-password";
    public const string Custom = "custom";
    public const string Microsoft = "microsoft";

    public static string Of(MailboxProvider provider) => provider switch
    {
        MailboxProvider.Google => Google,
        MailboxProvider.Microsoft => Microsoft,
        MailboxProvider.GoogleAppPassword => GoogleAppPassword,
        _ => Custom,
    };
}
