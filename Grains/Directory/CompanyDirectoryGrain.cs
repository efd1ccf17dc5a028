using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;
using MailSync.Shared.Time;
using Orleans.Concurrency;

namespace MailSync.Grains.Directory;

/// <summary>Company-wide reads and registrations from the company's rows: one query per page, whatever the company's size.</summary>
[StatelessWorker]
public sealed class CompanyDirectoryGrain(ICompanyRows rows, MailSyncClock clock) : Grain, ICompanyDirectoryGrain
{
    private string CompanyId => this.GetPrimaryKeyString();

    public async Task<(CompanyUser User, bool Created)> UpsertUser(CompanyUser user)
    {
        // Creating the row also marks "no mailbox yet"; an existing row (perhaps written by the mailbox) only gets the
        // registration's columns merged in, so it never overwrites a status.
        if (await rows.TryAddAsync(DirectoryTables.Users, CompanyId, UserRows.Key(user.UserId), UserRows.NewRegistration(user)))
            return (user, true);
        var existing = await rows.GetAsync(DirectoryTables.Users, CompanyId, UserRows.Key(user.UserId));
        await rows.ApplyAsync(DirectoryTables.Users, CompanyId, [RowChange.Upsert(UserRows.Key(user.UserId), UserRows.Registration(user))]);
        return (user, existing is null || UserRows.User(existing) is null);
    }

    public async Task<CompanyUser?> GetUser(string userId) =>
        await rows.GetAsync(DirectoryTables.Users, CompanyId, UserRows.Key(userId)) is { } row ? UserRows.User(row) : null;

    /// <summary>Users a status-filtered page reads at most: a rare status in a big company costs each page a bounded read.</summary>
    public const int MaxUsersScannedPerPage = 1000;

    public async Task<MailboxPage> GetUsers(int limit, string? continuation, MailboxStatus? status)
    {
        var scope = $"users:{status}";
        var position = DirectoryContinuation.Decode(CompanyId, scope, continuation);
        var page = await rows.PageAsync(DirectoryTables.Users, CompanyId, status is null
            ? new RowQuery(limit, position)
            : new RowQuery(limit, position, UserRows.StatusColumn, status.ToString(), MaxScanned: MaxUsersScannedPerPage));
        return new MailboxPage(
            [.. page.Rows.Select(row => UserRows.View(CompanyId, row))], DirectoryContinuation.Encode(CompanyId, scope, page.Position));
    }

    public async Task<IReadOnlyList<CompanyError>> GetErrors(int limit) =>
        [.. (await rows.PageAsync(DirectoryTables.Errors, CompanyId, new RowQuery(limit))).Rows.Select(ErrorRows.From)];

    public async Task<IReadOnlyList<UserBilling>> GetBilling(DateTimeOffset from, DateTimeOffset to)
    {
        var now = clock.Now;
        var seconds = new SortedDictionary<string, long>(StringComparer.Ordinal);
        await foreach (var row in rows.ScanAsync(DirectoryTables.Billing, CompanyId))
        {
            var (userId, start, end) = BillingRows.From(row);
            var overlap = Min(end ?? now, to) - Max(start, from);
            seconds[userId] = seconds.GetValueOrDefault(userId) + (overlap > TimeSpan.Zero ? (long)overlap.TotalSeconds : 0);
        }
        return [.. seconds.Select(s => new UserBilling(s.Key, s.Value))];
    }

    public async Task<IReadOnlyList<SecretKeyCount>> GetSecretKeys()
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in rows.ScanAsync(DirectoryTables.Users, CompanyId))
        {
            if (UserRows.SecretKeyId(row) is { } keyId) counts[keyId] = counts.GetValueOrDefault(keyId) + 1;
        }
        return [.. counts.Select(c => new SecretKeyCount(c.Key, c.Value))];
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
