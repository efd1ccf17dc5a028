using System.Text.Json;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Directory;

/// <summary>The company error log: one row per mailbox error-log entry, keyed newest first.</summary>
public static class ErrorRows
{
    public static string Key(string userId, MailboxError error) => string.Join(TableKeys.Separator,
        TableKeys.NewestFirst(error.OccurredAt), TableKeys.Escape(userId),
        TableKeys.Hash($"{error.Code}\n{error.Attempt}\n{error.Detail}")[..8]);

    public static IReadOnlyDictionary<string, object?> Columns(string userId, MailboxError error) => new Dictionary<string, object?>
    {
        ["UserId"] = userId, ["Entry"] = JsonSerializer.Serialize(error),
    };

    public static CompanyError From(TableEntity row) =>
        new(row.GetString("UserId"), JsonSerializer.Deserialize<MailboxError>(row.GetString("Entry"))!);
}
