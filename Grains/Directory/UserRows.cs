using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Directory;

/// <summary>
/// A company's user row: the registration (Email, Role, written by the directory) and the mailbox's status (written by
/// the mailbox grain on every change), merged into one row so a page of users is one query.
/// </summary>
public static class UserRows
{
    public const string StatusColumn = "Status";

    /// <summary>The id of the key the mailbox's stored secret is sealed under; "" without stored credentials.</summary>
    public const string SecretKeyIdColumn = "SecretKeyId";

    public static string Key(string userId) => TableKeys.Escape(userId);

    public static IReadOnlyDictionary<string, object?> Registration(CompanyUser user) => new Dictionary<string, object?>
    {
        ["UserId"] = user.UserId, ["Email"] = user.Email, ["Role"] = user.Role,
    };

    /// <summary>A registration creating the row also says "no mailbox yet", so a status filter finds the user.</summary>
    public static IReadOnlyDictionary<string, object?> NewRegistration(CompanyUser user) =>
        new Dictionary<string, object?>(Registration(user)) { [StatusColumn] = nameof(MailboxStatus.NotConfigured) };

    /// <summary>
    /// The mailbox's columns. Every one is written on every change, "" standing for none: a merge leaves out nulls, which
    /// would keep an old value (a cleared last error) alive.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Mailbox(MailboxView view, string? secretKeyId = null) =>
        new Dictionary<string, object?>
        {
            [SecretKeyIdColumn] = secretKeyId ?? "",
            ["UserId"] = view.UserId,
            ["MailboxEmail"] = view.Email ?? "",
            ["Provider"] = view.Provider?.ToString() ?? "",
            [StatusColumn] = view.Status.ToString(),
            ["LastSyncAt"] = Instant(view.LastSyncAt),
            ["LastError"] = view.LastError is { } error ? JsonSerializer.Serialize(error) : "",
            ["MessagesSynced"] = view.MessagesSynced,
            ["PendingSince"] = Instant(view.PendingSince),
            ["FailingSince"] = Instant(view.FailingSince),
            ["NextAttemptAt"] = Instant(view.NextAttemptAt),
        };

    /// <summary>The key the row's mailbox secret is sealed under, or null for none.</summary>
    public static string? SecretKeyId(TableEntity row) => row.GetString(SecretKeyIdColumn) is { Length: > 0 } keyId ? keyId : null;

    public static CompanyUser? User(TableEntity row) =>
        row.GetString("Role") is { } role ? new CompanyUser(row.GetString("UserId"), row.GetString("Email") ?? "", role) : null;

    /// <summary>The mailbox as the row has it; a registered user without a mailbox shows NotConfigured with their address.</summary>
    public static MailboxView View(string companyId, TableEntity row) => new(
        companyId,
        row.GetString("UserId"),
        row.GetString("MailboxEmail") is { Length: > 0 } mailbox ? mailbox : row.GetString("Email"),
        Enum.TryParse<MailboxProvider>(row.GetString("Provider"), out var provider) ? provider : null,
        Enum.TryParse<MailboxStatus>(row.GetString(StatusColumn), out var status) ? status : MailboxStatus.NotConfigured,
        Instant(row.GetString("LastSyncAt")),
        row.GetString("LastError") is { Length: > 0 } json ? JsonSerializer.Deserialize<MailboxError>(json) : null,
        row.GetInt64("MessagesSynced") ?? 0,
        Instant(row.GetString("PendingSince")),
        Instant(row.GetString("FailingSince")),
        Instant(row.GetString("NextAttemptAt")));

    private static string Instant(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "";

    private static DateTimeOffset? Instant(string? text) =>
        string.IsNullOrEmpty(text) ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
