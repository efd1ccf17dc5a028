using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Directory;

/// <summary>
/// How a mailbox grain keeps its company's rows current: its status row (the company's status index), its error-log
/// entries in the company error log, and its billing intervals. The grain's own state stays the truth; these rows are
/// what company-wide reads page through.
/// </summary>
public sealed class MailboxDirectoryWriter(ICompanyRows rows)
{
    /// <summary>The status row, with the id of the key the stored secret is sealed under (null: no stored secret).</summary>
    public Task WriteStatusAsync(MailboxView view, string? secretKeyId) =>
        rows.ApplyAsync(DirectoryTables.Users, view.CompanyId,
            [RowChange.Upsert(UserRows.Key(view.UserId), UserRows.Mailbox(view, secretKeyId))]);

    public async Task WriteErrorsAsync(MailboxKey mailbox, IReadOnlyList<MailboxError> added, IReadOnlyList<MailboxError> removed)
    {
        var changes = added.Select(e => RowChange.Upsert(ErrorRows.Key(mailbox.UserId, e), ErrorRows.Columns(mailbox.UserId, e)))
            .Concat(removed.Select(e => RowChange.Delete(ErrorRows.Key(mailbox.UserId, e))))
            .DistinctBy(c => c.RowKey);
        foreach (var chunk in changes.Chunk(TableBatches.MaxActionsPerTransaction))
        {
            // Deletes one by one: a row already gone must not fail the others.
            await rows.ApplyAsync(DirectoryTables.Errors, mailbox.CompanyId, [.. chunk.Where(c => c.Columns is not null)]);
            foreach (var delete in chunk.Where(c => c.Columns is null))
                await rows.ApplyAsync(DirectoryTables.Errors, mailbox.CompanyId, [delete]);
        }
    }

    /// <summary>
    /// The current interval. Closing one also drops up to a transaction of the user's intervals that ended more than
    /// <see cref="BillingWindow.Retention"/> before it (one range read of that user's oldest rows), so the rows a billing
    /// read scans are the retention's, not the company's whole history.
    /// </summary>
    public async Task WriteBillingAsync(MailboxKey mailbox, DateTimeOffset start, DateTimeOffset? end)
    {
        await rows.ApplyAsync(DirectoryTables.Billing, mailbox.CompanyId,
            [RowChange.Upsert(BillingRows.Key(mailbox.UserId, start), BillingRows.Columns(mailbox.UserId, start, end))]);
        if (end is not { } closed) return;
        var cutoff = closed - BillingWindow.Retention;
        var oldest = await rows.PageAsync(DirectoryTables.Billing, mailbox.CompanyId, new RowQuery(TableBatches.MaxActionsPerTransaction,
            BillingRows.UserPrefix(mailbox.UserId), Before: BillingRows.Key(mailbox.UserId, cutoff)));
        List<RowChange> expired =
            [.. oldest.Rows.Where(r => BillingRows.From(r).End < cutoff).Select(r => RowChange.Delete(r.RowKey))];
        if (expired.Count > 0) await rows.ApplyAsync(DirectoryTables.Billing, mailbox.CompanyId, expired);
    }
}
