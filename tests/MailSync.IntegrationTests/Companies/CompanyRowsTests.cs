using Azure.Data.Tables;
using MailSync.Grains.Storage;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Companies;

/// <summary>The per-company rows on Azurite and in memory: the same merges, pages and filters.</summary>
[Trait("Category", "Servers")]
public sealed class CompanyRowsTests
{
    private const string Table = "MailSyncRowsTest";

    public static TheoryData<string> Stores() => ["azure", "memory"];

    private static ICompanyRows Store(string kind) => kind == "azure"
        ? new AzureCompanyRows(new MailSyncTables(new TableServiceClient(TestServices.Current.TablesConnectionString)))
        : new MemoryCompanyRows();

    private static async Task<ICompanyRows> SevenRowsAsync(string kind, string company)
    {
        var store = Store(kind);
        await store.ApplyAsync(Table, company, [.. Enumerable.Range(1, 7).Select(i =>
            RowChange.Upsert($"r{i}", new Dictionary<string, object?> { ["Kind"] = i % 2 == 0 ? "even" : "odd", ["N"] = i }))]);
        return store;
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Pages_visit_every_row_once_in_key_order_and_the_last_says_there_is_no_more(string kind)
    {
        var company = $"co-{Guid.NewGuid():N}";
        var store = await SevenRowsAsync(kind, company);

        var seen = new List<string>();
        string? position = null;
        var pages = 0;
        do
        {
            var page = await store.PageAsync(Table, company, new RowQuery(3, position));
            seen.AddRange(page.Rows.Select(r => r.RowKey));
            position = page.Position;
            pages++;
        }
        while (position is not null);

        Assert.Equal(["r1", "r2", "r3", "r4", "r5", "r6", "r7"], seen);
        Assert.Equal(3, pages);
        Assert.Null((await store.PageAsync(Table, company, new RowQuery(7))).Position); // exactly full: no empty next page
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_filtered_page_with_a_scan_bound_reads_no_further_and_goes_on_from_the_last_row_read(string kind)
    {
        var company = $"co-{Guid.NewGuid():N}";
        var store = await SevenRowsAsync(kind, company);
        var seen = new List<string>();
        var pages = new List<int>();
        string? position = null;
        do
        {
            // Three rows read per page, at most two kept: a rare value costs each page a bounded read.
            var page = await store.PageAsync(Table, company, new RowQuery(2, position, "Kind", "even", MaxScanned: 3));
            seen.AddRange(page.Rows.Select(r => r.RowKey));
            pages.Add(page.Rows.Count);
            position = page.Position;
        }
        while (position is not null);

        Assert.Equal(["r2", "r4", "r6"], seen);
        Assert.Equal([1, 2, 0], pages); // r1–r3, r4–r6, r7
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_filtered_page_holds_only_matching_rows_and_continues_after_the_last_one(string kind)
    {
        var company = $"co-{Guid.NewGuid():N}";
        var store = await SevenRowsAsync(kind, company);

        var first = await store.PageAsync(Table, company, new RowQuery(2, null, "Kind", "even"));
        var second = await store.PageAsync(Table, company, new RowQuery(2, first.Position, "Kind", "even"));

        Assert.Equal(["r2", "r4"], first.Rows.Select(r => r.RowKey));
        Assert.Equal(["r6"], second.Rows.Select(r => r.RowKey));
        Assert.Null(second.Position);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Upserts_merge_columns_and_a_row_added_only_if_absent_is_not_overwritten(string kind)
    {
        var company = $"co-{Guid.NewGuid():N}";
        var store = Store(kind);

        Assert.True(await store.TryAddAsync(Table, company, "ann", new Dictionary<string, object?> { ["Role"] = "Salesperson", ["Status"] = "NotConfigured" }));
        await store.ApplyAsync(Table, company, [RowChange.Upsert("ann", new Dictionary<string, object?> { ["Status"] = "Enabled" })]);
        Assert.False(await store.TryAddAsync(Table, company, "ann", new Dictionary<string, object?> { ["Status"] = "NotConfigured" }));
        var row = await store.GetAsync(Table, company, "ann");
        await store.ApplyAsync(Table, company, [RowChange.Delete("ann")]);
        await store.ApplyAsync(Table, company, [RowChange.Delete("ann")]); // a lone delete of a missing row is fine

        Assert.Equal(("Salesperson", "Enabled"), (row!.GetString("Role"), row.GetString("Status")));
        Assert.Null(await store.GetAsync(Table, company, "ann"));
    }
}
