using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;
using MailSync.Shared.Storage;

namespace MailSync.Grains.Companies;

public sealed class CompanyGrain(
    [PersistentState("company", StorageNames.GrainState)] IPersistentState<CompanyState> state)
    : Grain, ICompanyGrain
{
    private SeatLedger Seats => state.State.Seats;

    private string CompanyId => this.GetPrimaryKeyString();

    public async Task<(CompanyProfile Profile, bool Created)> Upsert(string name, int mailboxSyncLimit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(mailboxSyncLimit);
        var created = !state.State.Exists;
        state.State.Exists = true;
        state.State.Name = name;
        var promoted = Seats.SetLimit(mailboxSyncLimit);
        await WriteAsync();
        Notify(promoted);
        return (Profile(), created);
    }

    public Task<CompanyProfile?> GetProfile() => Task.FromResult(state.State.Exists ? Profile() : null);

    public async Task<SeatDecision> RequestSeat(string userId)
    {
        var version = Seats.Version;
        var decision = Seats.Request(userId);
        if (Seats.Version != version) await WriteAsync();
        return decision;
    }

    public async Task ReleaseSeat(string userId)
    {
        var version = Seats.Version;
        var promoted = Seats.Release(userId);
        if (Seats.Version == version) return;
        await WriteAsync();
        Notify(promoted);
    }

    public async Task<(CompanyUser User, bool Created)> UpsertUser(CompanyUser user)
    {
        var created = !state.State.Users.ContainsKey(user.UserId);
        state.State.Users[user.UserId] = user;
        await WriteAsync();
        return (user, created);
    }

    public Task<IReadOnlyList<CompanyUser>> GetUsers() =>
        Task.FromResult<IReadOnlyList<CompanyUser>>([.. state.State.Users.Values.OrderBy(u => u.UserId, StringComparer.Ordinal)]);

    public Task<CompanyOverview> GetOverview() => Task.FromResult(new CompanyOverview(
        CompanyId, Seats.Limit, [.. Seats.Holders], [.. Seats.Pending], [.. Seats.KnownUsers]));

    public async Task<IReadOnlyList<UserBilling>> GetBilling(DateTimeOffset from, DateTimeOffset to)
    {
        var users = Seats.KnownUsers.ToArray();
        var seconds = await Task.WhenAll(users.Select(user => Mailbox(user).GetBillableSeconds(from, to)));
        return [.. users.Zip(seconds, (user, s) => new UserBilling(user, s))];
    }

    private Task WriteAsync() => state.WriteOrDeactivateAsync(DeactivateOnIdle);

    /// <summary>One-way hints, sent after the ledger is persisted: the company never waits on a mailbox.</summary>
    private void Notify(IReadOnlyList<string> promoted)
    {
        foreach (var user in promoted) Mailbox(user).SeatMayBeFree().Ignore();
    }

    private IMailboxGrain Mailbox(string userId) => GrainFactory.GetMailbox(CompanyId, userId);

    private CompanyProfile Profile() => new(CompanyId, state.State.Name, Seats.Limit);
}
