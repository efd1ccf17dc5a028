using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;

namespace MailSync.UnitTests.Companies;

public sealed class BillingRetentionTests
{
    private static readonly DateTimeOffset Day0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static async Task<List<(string UserId, DateTimeOffset Start)>> RowsAsync(ICompanyRows rows) =>
        [.. (await rows.PageAsync(DirectoryTables.Billing, "acme", new RowQuery(100))).Rows.Select(r => BillingRows.From(r))
            .Select(r => (r.UserId, r.Start))];

    [Fact]
    public async Task Closing_an_interval_drops_the_users_intervals_that_ended_past_the_retention_and_nothing_else()
    {
        var rows = new MemoryCompanyRows();
        var writer = new MailboxDirectoryWriter(rows);
        var (ann, annie, bob) = (new MailboxKey("acme", "ann"), new MailboxKey("acme", "ann2"), new MailboxKey("acme", "bob"));
        await writer.WriteBillingAsync(ann, Day0, Day0.AddDays(10));
        await writer.WriteBillingAsync(ann, Day0.AddDays(20), Day0.AddDays(300));
        await writer.WriteBillingAsync(annie, Day0, Day0.AddDays(10));
        await writer.WriteBillingAsync(bob, Day0, Day0.AddDays(10));

        var closed = Day0.AddDays(10) + BillingWindow.Retention + TimeSpan.FromDays(1);
        await writer.WriteBillingAsync(ann, closed.AddDays(-5), closed);

        // Ann's first interval ended past the retention; her second ended within it; other users' rows are theirs to drop.
        Assert.Equal(
            [("ann", Day0.AddDays(20)), ("ann", closed.AddDays(-5)), ("ann2", Day0), ("bob", Day0)],
            (await RowsAsync(rows)).Order());
    }

    [Fact]
    public async Task An_interval_still_open_is_never_dropped_however_old()
    {
        var rows = new MemoryCompanyRows();
        var writer = new MailboxDirectoryWriter(rows);
        var ann = new MailboxKey("acme", "ann");
        await writer.WriteBillingAsync(ann, Day0, null);

        await writer.WriteBillingAsync(ann, Day0.AddDays(900), Day0.AddDays(901));

        Assert.Equal([("ann", Day0), ("ann", Day0.AddDays(900))], (await RowsAsync(rows)).Order());
    }
}
