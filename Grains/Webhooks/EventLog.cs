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
/// </summary>
public static class EventLog
{
    public const string Table = "MailSyncEvents";

    public static string RowKey(long position) => position.ToString("D19", CultureInfo.InvariantCulture);

    public static long Position(TableEntity row) => long.Parse(row.RowKey, CultureInfo.InvariantCulture);

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
        return RowChange.Upsert(RowKey(position), columns);
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
