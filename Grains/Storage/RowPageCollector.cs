using Azure.Data.Tables;

namespace MailSync.Grains.Storage;

/// <summary>
/// One page collected row by row from a key range, filtered here, as both row stores read it: the first
/// <see cref="RowQuery.Limit"/> matching rows in key order, where a further match means a next page after the last one
/// kept; past <see cref="RowQuery.MaxScanned"/> rows read the page ends short, at the last row read.
/// </summary>
internal sealed class RowPageCollector(RowQuery query)
{
    private readonly List<TableEntity> collected = [];
    private int scanned;
    private string? position;

    /// <summary>Takes the next row of the range; false once the page is complete (read no further).</summary>
    public bool Add(TableEntity row)
    {
        if (query.Matches(row))
        {
            if (collected.Count == query.Limit)
            {
                position = collected[^1].RowKey;
                return false;
            }
            collected.Add(row);
        }
        if (++scanned != query.MaxScanned) return true;
        position = row.RowKey;
        return false;
    }

    /// <summary>The page; its position is null when the range ended before the page did.</summary>
    public RowPage Page => new(collected, position);
}
