using Azure.Data.Tables;
using MailSync.Grains.Storage;
using MailSync.Grains.Webhooks;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>
/// The company rows on Azurite, except that writes to the event log fail while <see cref="Down"/>: a mailbox's hand-off
/// of its outbox fails as it would while that table is unavailable, and everything else works. With
/// <see cref="AnswersToLose"/> the next writes to the log commit, and then fail as a timed-out request would.
/// </summary>
public sealed class EventLogOutage(ICompanyRows inner) : ICompanyRows
{
    private int answersToLose;

    public bool Down { get; set; } = true;

    public int AnswersToLose
    {
        get => Volatile.Read(ref answersToLose);
        set => Volatile.Write(ref answersToLose, value);
    }

    public async Task ApplyAsync(string table, string companyId, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default)
    {
        if (table == EventLog.Table && Down) throw new Azure.RequestFailedException(503, "event log unavailable (test)");
        await inner.ApplyAsync(table, companyId, changes, cancellationToken);
        if (table != EventLog.Table || AnswersToLose <= 0) return;
        Interlocked.Decrement(ref answersToLose);
        throw new TimeoutException("the answer was lost (test): the write committed");
    }

    public Task<bool> TryAddAsync(string table, string companyId, string rowKey, IReadOnlyDictionary<string, object?> columns, CancellationToken cancellationToken = default) =>
        inner.TryAddAsync(table, companyId, rowKey, columns, cancellationToken);

    public Task<TableEntity?> GetAsync(string table, string companyId, string rowKey, CancellationToken cancellationToken = default) =>
        inner.GetAsync(table, companyId, rowKey, cancellationToken);

    public IAsyncEnumerable<TableEntity> ScanAsync(string table, string companyId, CancellationToken cancellationToken = default) =>
        inner.ScanAsync(table, companyId, cancellationToken);

    public Task<RowPage> PageAsync(string table, string companyId, RowQuery query, CancellationToken cancellationToken = default) =>
        inner.PageAsync(table, companyId, query, cancellationToken);
}
