using Azure;
using Azure.Data.Tables;
using MailSync.Grains.Storage;

namespace MailSync.UnitTests.Timeline;

/// <summary>How timeline writes are cut into Azure transactions, and what a refusal by Azure does to one.</summary>
public sealed class TableBatchesTests
{
    [Fact]
    public void Transactions_hold_one_partition_one_action_per_entity_and_at_most_100_actions()
    {
        var actions = Enumerable.Range(0, 250).Select(i => Upsert("a", $"r{i}"))
            .Append(Upsert("a", "r7")).Append(Upsert("b", "r0")).ToList();

        var transactions = TableBatches.Transactions(actions).ToList();

        Assert.Equal([100, 100, 50, 1], transactions.Select(t => t.Length));
        Assert.All(transactions, t => Assert.Single(t.Select(a => a.Entity.PartitionKey).Distinct()));
        Assert.Same(actions[7], transactions[0][7]); // the first action of an entity is the one sent
    }

    [Fact]
    public void Transactions_stay_under_4_MiB_of_request_however_few_actions_they_hold()
    {
        // Three 32,000-character values that JSON writes as 6-byte escapes: about 576 KB of request each.
        var actions = Enumerable.Range(0, 10).Select(i => Upsert("a", $"r{i}", new string('é', 32_000), 3)).ToList();

        var transactions = TableBatches.Transactions(actions).ToList();

        Assert.True(transactions.Count > 1);
        Assert.Equal(10, transactions.Sum(t => t.Length));
        Assert.All(transactions, t => Assert.True(t.Sum(a => TableBatches.EstimatedRequestBytes(a.Entity)) <= TableBatches.TransactionByteBudget));
    }

    [Fact]
    public void An_action_over_the_budget_alone_goes_alone()
    {
        var huge = Upsert("a", "huge", new string('é', 32_000), 30);
        var transactions = TableBatches.Transactions([Upsert("a", "r1"), huge, Upsert("a", "r2")]).ToList();

        Assert.Equal([1, 1, 1], transactions.Select(t => t.Length));
    }

    [Fact]
    public void Many_ordinary_entries_still_go_100_to_a_transaction()
    {
        var transactions = TableBatches.Transactions(Enumerable.Range(0, 100).Select(i => Upsert("a", $"r{i}", new string('s', 1000), 3))).ToList();

        Assert.Equal(100, Assert.Single(transactions).Length);
    }

    [Theory]
    [InlineData(400, "PropertyValueTooLarge")]
    [InlineData(400, "EntityTooLarge")]
    [InlineData(413, "RequestBodyTooLarge")]
    [InlineData(400, "InvalidInput")]
    [InlineData(400, "OutOfRangeInput")]
    public async Task A_transaction_refused_for_one_entity_is_retried_one_by_one_and_only_that_one_is_refused(int status, string code)
    {
        var submitted = new List<string>();
        var transactions = TableBatches.Transactions(Enumerable.Range(0, 5).Select(i => Upsert("a", $"r{i}"))).ToList();

        var refused = await TableBatches.SubmitRefusingAsync(transactions, (batch, _) =>
        {
            if (batch.Any(a => a.Entity.RowKey == "r3")) throw new RequestFailedException(status, "refused", code, null);
            submitted.AddRange(batch.Select(a => a.Entity.RowKey));
            return Task.CompletedTask;
        }, parallelism: 2, CancellationToken.None);

        var (action, error) = Assert.Single(refused);
        Assert.Equal(("r3", code), (action.Entity.RowKey, error.ErrorCode));
        Assert.Equal(["r0", "r1", "r2", "r4"], submitted.Order());
    }

    [Theory]
    [InlineData(503, "ServerBusy")]
    [InlineData(500, "InternalError")]
    [InlineData(429, "TooManyRequests")]
    [InlineData(408, "OperationTimedOut")]
    [InlineData(403, "AuthenticationFailed")]
    [InlineData(404, "TableNotFound")]
    [InlineData(400, "InvalidHeaderValue")]
    [InlineData(0, null)]
    public async Task Any_other_failure_throws_so_the_whole_batch_is_retried(int status, string? code)
    {
        var transactions = TableBatches.Transactions([Upsert("a", "r0"), Upsert("a", "r1")]).ToList();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => TableBatches.SubmitRefusingAsync(
            transactions, (_, _) => throw new RequestFailedException(status, "failed", code, null), parallelism: 1, CancellationToken.None));

        Assert.Equal(status, error.Status);
    }

    [Fact]
    public async Task A_fault_of_storage_while_retrying_one_by_one_throws()
    {
        var transactions = TableBatches.Transactions([Upsert("a", "r0"), Upsert("a", "r1")]).ToList();

        await Assert.ThrowsAsync<RequestFailedException>(() => TableBatches.SubmitRefusingAsync(transactions, (batch, _) =>
            throw (batch.Length > 1 ? new RequestFailedException(400, "too large", "EntityTooLarge", null) : new RequestFailedException(503, "busy", "ServerBusy", null)),
            parallelism: 1, CancellationToken.None));
    }

    private static TableTransactionAction Upsert(string partition, string row, string value = "v", int properties = 1)
    {
        var entity = new TableEntity(partition, row);
        for (var i = 0; i < properties; i++) entity[$"P{i}"] = value;
        return new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity);
    }
}
