using System.Globalization;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Webhooks;

/// <summary>
/// A company's event log in table <see cref="Table"/>: partition = company, row key = the event's position in the log,
/// zero-padded so key order is log order and "everything after position p" is one range query. Only the company's
/// webhooks grain appends, one transaction at a time, so a reader never sees a later position before an earlier one.
/// Row 0 (no event's position) says from which position on rows are kept: the retention raises it before it removes
/// older rows, so a reader whose cursor lies below it knows it missed events instead of skipping them unaware.
/// </summary>
public static class EventLog
{
    public const string Table = "MailSyncEvents";

    public static string RowKey(long position) => position.ToString("D19", CultureInfo.InvariantCulture);

    public static long Position(TableEntity row) => long.Parse(row.RowKey, CultureInfo.InvariantCulture);

    /// <summary>The retention's row: every row from <paramref name="firstKept"/> on is kept.</summary>
    public static RowChange Floor(long firstKept) =>
        RowChange.Upsert(RowKey(0), new Dictionary<string, object?> { ["FirstKept"] = firstKept });

    /// <summary>The first position whose row the retention keeps (1 while it has removed nothing).</summary>
    public static async Task<long> FirstKeptAsync(ICompanyRows rows, string companyId) =>
        (await rows.GetAsync(Table, companyId, RowKey(0)))?.GetInt64("FirstKept") ?? 1;

    /// <summary>Whether a reader that has seen everything up to <paramref name="cursor"/> missed rows the retention removed.</summary>
    public static bool Overtaken(long cursor, long firstKept) => cursor + 1 < firstKept;

    public static RowChange Row(long position, MailboxEvent e)
    {
        var columns = new Dictionary<string, object?>
        {
            ["Type"] = e.Type,
            ["EventId"] = e.Id,
            ["UserId"] = e.UserId,
            ["OccurredAt"] = e.OccurredAt,
            ["Data"] = e.Data,
        };
        if (e.OldStatus is { } old) columns["OldStatus"] = old.ToString();
        if (e.NewStatus is { } next) columns["NewStatus"] = next.ToString();
        if (e.ErrorCode is { } code) columns["ErrorCode"] = code.ToString();
        return RowChange.Insert(RowKey(position), columns); // a position holds one event, never two
    }

    public static MailboxEvent Event(TableEntity row) => new(
        row.GetString("EventId"), row.GetString("Type"), row.GetString("UserId"), Instant(row), row.GetString("Data"));

    public static StatusChange Change(TableEntity row) => new(
        Position(row), row.GetString("EventId"), row.GetString("UserId"), Instant(row),
        Enum.Parse<MailboxStatus>(row.GetString("OldStatus")), Enum.Parse<MailboxStatus>(row.GetString("NewStatus")),
        row.GetString("ErrorCode") is { } code && Enum.TryParse<MailboxErrorCode>(code, out var parsed) ? parsed : null);

    /// <summary>Azure returns DateTimeOffset columns as such; the memory store keeps what was put.</summary>
    private static DateTimeOffset Instant(TableEntity row) => row["OccurredAt"] switch
    {
        DateTimeOffset at => at,
        DateTime at => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
        var other => DateTimeOffset.Parse(Convert.ToString(other, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
    };
}
