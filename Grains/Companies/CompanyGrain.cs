using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;
using MailSync.Shared.Storage;

namespace MailSync.Grains.Companies;

/// <summary>
/// Enforces a company's mailbox sync limit. The ledger lives in memory, loaded from the seat rows on activation; each
/// seat operation writes only the rows it changes (a few hundred bytes), never the whole company.
/// </summary>
public sealed class CompanyGrain(
    [PersistentState("company", StorageNames.GrainState)] IPersistentState<CompanyState> state,
    ICompanyRows rows)
    : Grain, ICompanyGrain
{
    private SeatLedger seats = new();

    private string CompanyId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var loaded = new List<SeatRow>();
        await foreach (var row in rows.ScanAsync(DirectoryTables.Seats, CompanyId, cancellationToken)) loaded.Add(SeatRow.From(row));
        seats = SeatLedger.Restore(state.State.MailboxSyncLimit, loaded);
    }

    public async Task<(CompanyProfile Profile, bool Created)> Upsert(
        string name, int mailboxSyncLimit, OtherMailAccounts? otherMailAccounts)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(mailboxSyncLimit);
        var created = !state.State.Exists;
        state.State.Exists = true;
        state.State.Name = name;
        state.State.MailboxSyncLimit = mailboxSyncLimit;
        if (otherMailAccounts is { } policy) state.State.OtherMailAccounts = policy;
        await state.WriteOrDeactivateAsync(DeactivateOnIdle);
        var promoted = seats.SetLimit(mailboxSyncLimit);
        await PersistSeatsAsync();
        Notify(promoted);
        return (Profile(), created);
    }

    public Task<CompanyProfile?> GetProfile() => Task.FromResult(state.State.Exists ? Profile() : null);

    public async Task<SeatDecision> RequestSeat(string userId)
    {
        var decision = seats.Request(userId);
        await PersistSeatsAsync();
        return decision;
    }

    public async Task ReleaseSeat(string userId)
    {
        var promoted = seats.Release(userId);
        await PersistSeatsAsync();
        Notify(promoted);
    }

    public Task<CompanyOverview> GetOverview() => Task.FromResult(new CompanyOverview(
        CompanyId, seats.Limit, seats.SeatsUsed, seats.PendingCount, [.. seats.Pending.Take(CompanyOverview.MaxPendingListed)]));

    public Task<bool> HoldsSeat(string userId) => Task.FromResult(seats.Holds(userId));

    public Task<int?> GetPlaceInQueue(string userId) => Task.FromResult(seats.PlaceInQueue(userId));

    /// <summary>
    /// Writes the rows the last operation changed. If storage fails, the activation goes, so the next call reloads what
    /// was stored instead of trusting memory that never reached it.
    /// </summary>
    private async Task PersistSeatsAsync()
    {
        var changed = seats.TakeChanges();
        if (changed.Count == 0) return;
        try
        {
            foreach (var chunk in changed.Chunk(TableBatches.MaxActionsPerTransaction))
            {
                await rows.ApplyAsync(DirectoryTables.Seats, CompanyId, [.. chunk.Select(c => c.Row is { } row
                    ? RowChange.Upsert(row.Key, row.Columns)
                    : RowChange.Delete(TableKeys.Escape(c.UserId)))]);
            }
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>One-way hints, sent after the ledger is persisted: the company never waits on a mailbox.</summary>
    private void Notify(IReadOnlyList<string> promoted)
    {
        foreach (var user in promoted) GrainFactory.GetMailbox(CompanyId, user).SeatMayBeFree().Ignore();
    }

    private CompanyProfile Profile() => new(CompanyId, state.State.Name, seats.Limit, state.State.OtherMailAccounts);
}
