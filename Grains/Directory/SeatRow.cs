using System.Globalization;
using Azure.Data.Tables;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Directory;

/// <summary>One user's place in the seat ledger: holding a seat, or queued (<see cref="QueuedAs"/> orders the queue).</summary>
public sealed record SeatRow(string UserId, bool Holder, long QueuedAs)
{
    public string Key => TableKeys.Escape(UserId);

    public IReadOnlyDictionary<string, object?> Columns => new Dictionary<string, object?>
    {
        ["UserId"] = UserId, ["Holder"] = Holder, ["QueuedAs"] = QueuedAs,
    };

    public static SeatRow From(TableEntity row) => new(
        row.GetString("UserId"), row.GetBoolean("Holder") ?? false,
        row.GetInt64("QueuedAs") ?? long.Parse(row.RowKey, CultureInfo.InvariantCulture));
}
