using Azure.Data.Tables;

namespace MailSync.Grains.Storage;

/// <summary>
/// Submits entity actions as Azure Table transactions: at most 100 actions and one partition each (Azure rejects
/// anything else; Azurite does not, so it is enforced here), several transactions in flight at once.
/// </summary>
public static class TableBatches
{
    public const int MaxActionsPerTransaction = 100;

    public static async Task SubmitAsync(TableClient table, IEnumerable<TableTransactionAction> actions, int parallelism, CancellationToken cancellationToken)
    {
        var transactions = actions
            .GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal)
            .SelectMany(partition => partition
                .DistinctBy(a => a.Entity.RowKey, StringComparer.Ordinal) // one action per entity and transaction
                .Chunk(MaxActionsPerTransaction));
        await Parallel.ForEachAsync(
            transactions,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await table.SubmitTransactionAsync(batch, ct));
    }
}
