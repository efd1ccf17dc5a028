using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;

namespace MailSync.Grains.Storage;

/// <summary>
/// Submits entity actions as Azure Table transactions: one partition, at most 100 actions and at most 4 MiB of request
/// each (Azure rejects anything else; Azurite does not check all of it, so it is enforced here), several transactions
/// in flight at once.
/// </summary>
public static class TableBatches
{
    public const int MaxActionsPerTransaction = 100;

    /// <summary>Azure's limit on a transaction's request body.</summary>
    public const int MaxTransactionBytes = 4 * 1024 * 1024;

    /// <summary>Room left under <see cref="MaxTransactionBytes"/> for the batch's own envelope and any misestimate.</summary>
    public const int TransactionByteBudget = MaxTransactionBytes - 256 * 1024;

    /// <summary>
    /// Error codes with which Azure refuses what an entity holds (too large, a value out of range, a key it does not
    /// accept), as opposed to faults of the service or of the request as a whole.
    /// </summary>
    private static readonly HashSet<string> ContentErrorCodes = new(StringComparer.OrdinalIgnoreCase)
    {
        "PropertyValueTooLarge", "EntityTooLarge", "RequestBodyTooLarge", "InvalidInput", "OutOfRangeInput", "KeyValueTooLarge",
        "PropertyNameTooLong", "TooManyProperties", "InvalidValueType",
    };

    public static async Task SubmitAsync(
        TableClient table, IEnumerable<TableTransactionAction> actions, int parallelism, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            Transactions(actions),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await SubmitPartitionAsync(table, batch, ct));

    /// <summary>
    /// Several actions of one partition as one transaction; a single action as the plain request it is. A transaction
    /// of one makes nothing atomic that was not, and costs a multipart request (envelope, changeset, a part per action)
    /// to build and to parse; most writes here are lone rows (a mailbox's status row, one new message's entry). A lone
    /// delete of a row that is not there succeeds (inside a transaction it fails).
    /// </summary>
    public static Task SubmitPartitionAsync(
        TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        if (actions.Count != 1) return table.SubmitTransactionAsync(actions, cancellationToken);
        var (entity, etag) = (actions[0].Entity, actions[0].ETag == default ? ETag.All : actions[0].ETag);
        return actions[0].ActionType switch
        {
            TableTransactionActionType.Add => table.AddEntityAsync(entity, cancellationToken),
            TableTransactionActionType.UpsertReplace => table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken),
            TableTransactionActionType.UpsertMerge => table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken),
            TableTransactionActionType.UpdateReplace => table.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken),
            TableTransactionActionType.UpdateMerge => table.UpdateEntityAsync(entity, etag, TableUpdateMode.Merge, cancellationToken),
            TableTransactionActionType.Delete => table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, etag, cancellationToken),
            var other => throw new ArgumentOutOfRangeException(nameof(actions), other, "Not an entity action"),
        };
    }

    /// <summary>
    /// Submits like <see cref="SubmitAsync"/>, except that a transaction Azure refuses for what one of its entities
    /// holds (<see cref="RefusesContent"/>) is sent again one action at a time: the actions refused on their own are
    /// returned with Azure's error, the others are stored. Any other failure (unavailable, throttled, timed out, a
    /// request Azure refuses as a whole) throws, so the caller retries everything.
    /// </summary>
    public static Task<IReadOnlyList<(TableTransactionAction Action, RequestFailedException Error)>> SubmitRefusingAsync(
        TableClient table, IEnumerable<TableTransactionAction> actions, int parallelism, CancellationToken cancellationToken) =>
        SubmitRefusingAsync(
            Transactions(actions), async (batch, ct) => await SubmitPartitionAsync(table, batch, ct), parallelism, cancellationToken);

    /// <summary>
    /// <see cref="SubmitRefusingAsync(TableClient, IEnumerable{TableTransactionAction}, int, CancellationToken)"/>
    /// over any way to submit a transaction.
    /// </summary>
    public static async Task<IReadOnlyList<(TableTransactionAction Action, RequestFailedException Error)>> SubmitRefusingAsync(
        IEnumerable<TableTransactionAction[]> transactions, Func<TableTransactionAction[], CancellationToken, Task> submit, int parallelism,
        CancellationToken cancellationToken)
    {
        var refused = new ConcurrentQueue<(TableTransactionAction, RequestFailedException)>();
        await Parallel.ForEachAsync(
            transactions,
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                try
                {
                    await submit(batch, ct);
                }
                catch (RequestFailedException e) when (RefusesContent(e))
                {
                    if (batch.Length == 1)
                    {
                        refused.Enqueue((batch[0], e));
                        return;
                    }
                    foreach (var action in batch)
                    {
                        try
                        {
                            await submit([action], ct);
                        }
                        catch (RequestFailedException single) when (RefusesContent(single))
                        {
                            refused.Enqueue((action, single));
                        }
                    }
                }
            });
        return [.. refused];
    }

    /// <summary>
    /// Azure refused what an entity holds: status 400 or 413 with an error code about content or size, or a
    /// transaction error naming the entity it failed on. Status 408, 429, 5xx, a lost connection, and a 4xx about the
    /// request as a whole (authentication, a missing table) are not: they say nothing about one entity.
    /// </summary>
    public static bool RefusesContent(RequestFailedException error) =>
        error.Status is 400 or 413
        && ((error.ErrorCode is { } code && ContentErrorCodes.Contains(code))
            || error is TableTransactionFailedException { FailedTransactionActionIndex: not null });

    /// <summary>
    /// Groups actions into transactions: one partition each, one action per entity (the first), at most
    /// <see cref="MaxActionsPerTransaction"/> actions and <see cref="TransactionByteBudget"/> estimated bytes (an action
    /// larger than that alone goes alone).
    /// </summary>
    public static IEnumerable<TableTransactionAction[]> Transactions(IEnumerable<TableTransactionAction> actions)
    {
        foreach (var partition in actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal))
        {
            var batch = new List<TableTransactionAction>(MaxActionsPerTransaction);
            long bytes = 0;
            foreach (var action in partition.DistinctBy(a => a.Entity.RowKey, StringComparer.Ordinal))
            {
                var size = EstimatedRequestBytes(action.Entity);
                if (batch.Count > 0 && (batch.Count == MaxActionsPerTransaction || bytes + size > TransactionByteBudget))
                {
                    yield return [.. batch];
                    batch.Clear();
                    bytes = 0;
                }
                batch.Add(action);
                bytes += size;
            }
            if (batch.Count > 0) yield return [.. batch];
        }
    }

    /// <summary>
    /// An upper estimate of the bytes an entity adds to a transaction's request: the part's headers and URL (keys
    /// percent-encoded, up to 9 bytes a character), then the JSON body, where every character but plain ASCII may be
    /// written as a 6-byte escape, and a type annotation per property.
    /// </summary>
    public static long EstimatedRequestBytes(ITableEntity entity)
    {
        const int PartOverhead = 1024;
        const int PropertyOverhead = 64;
        long bytes = PartOverhead + 10L * (entity.PartitionKey.Length + entity.RowKey.Length);
        if (entity is not TableEntity properties) return bytes; // every entity here is a TableEntity; others count by their keys
        foreach (var (name, value) in properties)
        {
            bytes += PropertyOverhead + 2L * JsonBytes(name);
            bytes += value switch
            {
                null => 4,
                string s => JsonBytes(s),
                byte[] data => 4 + (data.Length + 2) / 3 * 4,
                BinaryData data => 4 + (data.ToMemory().Length + 2) / 3 * 4,
                _ => 64,
            };
        }
        return bytes;
    }

    private static long JsonBytes(string text)
    {
        long bytes = 2;
        foreach (var c in text) bytes += c is >= ' ' and <= '~' and not ('"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`') ? 1 : 6;
        return bytes;
    }
}
