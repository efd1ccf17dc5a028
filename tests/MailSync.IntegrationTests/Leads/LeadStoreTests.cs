using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Leads;
using MailSync.Grains.Storage;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Leads;

/// <summary>The lead tables on Azurite, counted request by request: what an operation costs does not grow with the company.</summary>
[Trait("Category", "Servers")]
public sealed class LeadStoreTests
{
    private static readonly string Tables = TestServices.Current.TablesConnectionString;

    [Fact]
    public async Task A_200000_lead_company_upserts_at_the_cost_of_its_batch_and_a_fresh_process_matches_with_two_point_reads()
    {
        var company = $"co-{Guid.NewGuid():N}";
        var seed = new AzureLeadStore(new MailSyncTables(new TableServiceClient(Tables)));
        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (batch, _) =>
            await seed.UpsertAsync(company, [.. Enumerable.Range(batch * 500, 500).Select(Lead)]));

        var requests = new StorageRequests();
        var store = new AzureLeadStore(new MailSyncTables(requests.Client(Tables)));
        await store.FindAsync(company, [LeadKeys.Address("warm-up@lead.example")]);
        requests.Reset();
        var newcomers = await store.UpsertAsync(company, [.. Enumerable.Range(200_000, 500).Select(Lead)]);
        var (newcomerReads, newcomerRequests) = (requests.Of("GET"), requests.Total);
        requests.Reset();
        var renamed = await store.UpsertAsync(company, [.. Enumerable.Range(0, 500).Select(i => Lead(i) with { Name = "Renamed" })]);
        var renameRequests = requests.Total;

        var restarted = new StorageRequests();
        var fresh = new AzureLeadStore(new MailSyncTables(restarted.Client(Tables)));
        var found = await fresh.FindAsync(company, [LeadKeys.Address("LEAD199999@lead.example")]);

        Assert.All(newcomers.Created, Assert.True);
        Assert.Equal(0, newcomerReads);
        Assert.InRange(newcomerRequests, 1, 2 * LeadKeys.Partitions); // one transaction per partition of each table
        Assert.All(renamed.Created, Assert.False);
        Assert.InRange(renameRequests, 1, 3 * 500); // bounded by the batch: a read of each lead and of its address, then writes
        Assert.Equal(["lead-199999"], found[LeadKeys.Address("lead199999@lead.example")]);
        // The marker that the company has no legacy rows, and the address; besides, the process creates its tables once.
        Assert.Equal(2, restarted.Total - restarted.Of("POST", "Tables"));
        Assert.Equal(2, restarted.Of("GET"));
    }

    [Fact]
    public async Task An_address_change_and_a_removal_rewrite_the_index_and_a_repeat_changes_nothing()
    {
        var company = $"co-{Guid.NewGuid():N}";
        var store = new AzureLeadStore(new MailSyncTables(new TableServiceClient(Tables)));
        await store.UpsertAsync(company, [new Lead("lee", "lee@lead.example", "Lee"), new Lead("lee-alt", "LEE@lead.example", null)]);

        var moved = await store.UpsertAsync(company, [new Lead("lee", "lee@new.example", "Lee")]);
        var repeated = await store.UpsertAsync(company, [new Lead("lee", "lee@new.example", "Lee")]);
        var removed = await store.RemoveAsync(company, "lee-alt");
        var found = await store.FindAsync(company, [LeadKeys.Address("lee@lead.example"), LeadKeys.Address("lee@new.example")]);

        Assert.Equal(["lee"], moved.NewlyMatched.Select(l => l.LeadId));
        Assert.Empty(repeated.NewlyMatched);
        Assert.NotNull(removed);
        Assert.Null(await store.RemoveAsync(company, "lee-alt"));
        Assert.Equal(["lee"], found[LeadKeys.Address("lee@new.example")]);
        Assert.False(found.ContainsKey(LeadKeys.Address("lee@lead.example")));
        Assert.Equal("lee@new.example", (await store.GetAsync(company, "lee"))!.Email);
    }

    [Fact]
    public async Task An_address_takes_400_leads_of_64_character_ids_and_the_401st_is_refused_with_nothing_changed()
    {
        var company = $"co-{Guid.NewGuid():N}";
        var store = new AzureLeadStore(new MailSyncTables(new TableServiceClient(Tables)));
        static string Id(int i) => $"{i:D4}".PadLeft(64, 'x');
        await store.UpsertAsync(company, [.. Enumerable.Range(0, LeadAddressList.MaxLeads).Select(i => new Lead(Id(i), "shared@lead.example", null))]);

        var refused = await store.UpsertAsync(company, [new Lead("other", "other@lead.example", null), new Lead(Id(9999), "Shared@lead.example", null)]);
        var found = await store.FindAsync(company, [LeadKeys.Address("shared@lead.example"), LeadKeys.Address("other@lead.example")]);

        Assert.Equal([LeadKeys.Address("shared@lead.example")], refused.FullAddresses);
        Assert.Equal(LeadAddressList.MaxLeads, found[LeadKeys.Address("shared@lead.example")].Count);
        Assert.False(found.ContainsKey(LeadKeys.Address("other@lead.example")));
        Assert.Null(await store.GetAsync(company, "other"));
        Assert.Null(await store.GetAsync(company, Id(9999)));
    }

    [Fact]
    public async Task Leads_stored_in_the_old_single_partition_table_move_to_the_index_on_first_use()
    {
        var company = $"co-{Guid.NewGuid():N}";
        var service = new TableServiceClient(Tables);
        var legacy = service.GetTableClient(LegacyLeadMigration.LegacyTable);
        await legacy.CreateIfNotExistsAsync();
        foreach (var (id, email) in new[] { ("lee", "Lee@Lead.Example"), ("lia", "lia@lead.example") })
            await legacy.AddEntityAsync(new TableEntity(company, id) { ["LeadId"] = id, ["Email"] = email, ["Name"] = null });

        var store = new AzureLeadStore(new MailSyncTables(service));
        var found = await store.FindAsync(company, [LeadKeys.Address("lee@lead.example"), LeadKeys.Address("lia@lead.example")]);

        Assert.Equal(["lee"], found[LeadKeys.Address("lee@lead.example")]);
        Assert.Equal(["lia"], found[LeadKeys.Address("lia@lead.example")]);
        Assert.Equal("Lee@Lead.Example", (await store.GetAsync(company, "lee"))!.Email);
        Assert.Empty(await legacy.QueryAsync<TableEntity>(e => e.PartitionKey == company).ToListAsync());
    }

    private static Lead Lead(int i) => new($"lead-{i}", $"lead{i}@lead.example", null);
}
