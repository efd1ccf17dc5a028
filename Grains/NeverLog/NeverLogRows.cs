using MailSync.Grains.Interfaces.NeverLog;
using MailSync.Grains.Storage;
using MailSync.Grains.Timeline;

namespace MailSync.Grains.NeverLog;

/// <summary>
/// Table <c>MailSyncNeverLog</c>, one partition per company: the company's list under <c>c|value</c>, each user's under
/// <c>u|user|value</c>, the internal-mail rule in row <c>s|internal</c>. Each list is one short key range (at most
/// <see cref="NeverLogValue.MaxEntries"/> rows), read whole.
/// </summary>
public sealed class NeverLogRows(ICompanyRows rows)
{
    public const string Table = "MailSyncNeverLog";
    private const string InternalRow = "s|internal";

    public async Task<IReadOnlyList<NeverLogEntry>> ListAsync(
        string companyId, string? userId, CancellationToken cancellationToken = default)
    {
        var prefix = Prefix(userId);
        var page = await rows.PageAsync(
            Table, companyId, new RowQuery(NeverLogValue.MaxEntries, prefix, Before: TimelineKeys.PrefixEnd(prefix)), cancellationToken);
        return [.. page.Rows.Select(r =>
            new NeverLogEntry(r.GetString("Value"), r.GetDateTimeOffset("AddedAt") ?? DateTimeOffset.MinValue))];
    }

    /// <summary>Every user's list at once, or null when they hold more than <see cref="NeverLogUserLists.MaxRows"/> entries.</summary>
    public async Task<NeverLogUserLists?> ListUsersAsync(string companyId, CancellationToken cancellationToken = default)
    {
        const string prefix = "u|";
        var page = await rows.PageAsync(
            Table, companyId, new RowQuery(NeverLogUserLists.MaxRows, prefix, Before: TimelineKeys.PrefixEnd(prefix)), cancellationToken);
        if (page.Position is not null) return null;
        // Row keys are u|{escaped user}|{escaped value}: escaping leaves no separator inside a part.
        return new NeverLogUserLists(page.Rows
            .GroupBy(r => r.RowKey.Split(TableKeys.Separator)[1], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, IReadOnlyList<string> (g) => [.. g.Select(r => r.GetString("Value"))], StringComparer.Ordinal));
    }

    /// <summary>Creates the entry unless it is there (a repeated add keeps the first one's time).</summary>
    public Task AddAsync(string companyId, string? userId, NeverLogEntry entry) =>
        rows.TryAddAsync(Table, companyId, Prefix(userId) + TableKeys.Escape(entry.Value),
            new Dictionary<string, object?> { ["Value"] = entry.Value, ["AddedAt"] = entry.AddedAt });

    public async Task<bool> RemoveAsync(string companyId, string? userId, string value)
    {
        var key = Prefix(userId) + TableKeys.Escape(value);
        if (await rows.GetAsync(Table, companyId, key) is null) return false;
        await rows.ApplyAsync(Table, companyId, [RowChange.Delete(key)]);
        return true;
    }

    public async Task<InternalMail> GetInternalMailAsync(string companyId, CancellationToken cancellationToken = default) =>
        await rows.GetAsync(Table, companyId, InternalRow, cancellationToken) is { } row
            ? new InternalMail(
                row.GetString("Domains")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
                row.GetBoolean("LogInternalEmails") ?? false)
            : InternalMail.Default;

    public Task SetInternalMailAsync(string companyId, InternalMail settings) =>
        rows.ApplyAsync(Table, companyId, [RowChange.Upsert(InternalRow, new Dictionary<string, object?>
        {
            ["Domains"] = string.Join(' ', settings.Domains), ["LogInternalEmails"] = settings.LogInternalEmails,
        })]);

    // The company's list sorts before the rule row and the users' lists; '|' inside a user id or a value is escaped.
    private static string Prefix(string? userId) => userId is null ? "c|" : $"u|{TableKeys.Escape(userId)}|";
}
