using System.Globalization;
using Azure.Data.Tables;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Directory;

/// <summary>Billable intervals of every mailbox of a company, one row per interval (End null while it lasts).</summary>
public static class BillingRows
{
    public static string Key(string userId, DateTimeOffset start) =>
        UserPrefix(userId) + start.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>What every key of the user's rows starts with, and sorts after (the separator is escaped in user ids).</summary>
    public static string UserPrefix(string userId) => TableKeys.Escape(userId) + TableKeys.Separator;

    public static IReadOnlyDictionary<string, object?> Columns(string userId, DateTimeOffset start, DateTimeOffset? end) =>
        new Dictionary<string, object?>
        {
            ["UserId"] = userId, ["Start"] = start, ["End"] = end,
        };

    public static (string UserId, DateTimeOffset Start, DateTimeOffset? End) From(TableEntity row) =>
        (row.GetString("UserId"), row.GetDateTimeOffset("Start") ?? DateTimeOffset.MinValue, row.GetDateTimeOffset("End"));
}
