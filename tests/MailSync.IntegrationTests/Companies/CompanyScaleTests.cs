using Azure.Data.Tables;
using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Storage;
using MailSync.Grains.Timeline;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Companies;

/// <summary>A company of 100,000 registered users and 20,000 seats on Azurite: every seat operation stays O(1).</summary>
[Trait("Category", "Servers")]
public sealed class CompanyScaleTests
{
    private const int Users = 100_000;
    private const int Seats = 20_000;

    [Fact]
    public async Task With_100000_users_and_20000_seats_connect_queue_release_and_promotion_work_and_each_writes_a_few_hundred_bytes()
    {
        var companyId = $"big-{Guid.NewGuid():N}";
        await PlantAsync(companyId); // in bulk, as if registered and admitted earlier
        CountingCompanyRows? rows = null;
        await using var silo = new AzuriteSilo(AzuriteSilo.NewSettings(), services =>
            services.AddSingleton<ICompanyRows>(sp => rows = new CountingCompanyRows(ActivatorUtilities.CreateInstance<AzureCompanyRows>(sp))));
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains, companyId);
        var directory = silo.Grains.GetGrain<ICompanyDirectoryGrain>(companyId);
        var deadline = TimeSpan.FromSeconds(60);

        await company.Grain.Upsert("Big", Seats);
        var full = await company.Grain.GetOverview();
        var registered = await directory.UpsertUser(new CompanyUser("newcomer", "newcomer@big.test", "Salesperson"));
        var bytesBefore = rows!.WrittenTo(DirectoryTables.Seats).Bytes;
        var queued = await company.Mailbox("newcomer").Connect(TestCompany.Credentials("newcomer", "pw"));
        var bytesToQueue = rows.WrittenTo(DirectoryTables.Seats).Bytes - bytesBefore;
        bytesBefore = rows.WrittenTo(DirectoryTables.Seats).Bytes;
        await company.Grain.ReleaseSeat("u000007"); // a seat holder leaves: the newcomer is promoted
        var bytesToReleaseAndPromote = rows.WrittenTo(DirectoryTables.Seats).Bytes - bytesBefore;
        await Poll.UntilAsync(() => company.Status("newcomer"), v => v.Status.HoldsSeat(), deadline, "newcomer promoted");
        var after = await company.Grain.GetOverview();
        var firstPage = await directory.GetUsers(100, null, null);
        // Under its current status: the first attempt (a closed port) may turn Enabled into Error at any moment.
        var holding = await Poll.UntilAsync(async () => await directory.GetUsers(10, null, (await company.Status("newcomer")).Status),
            p => p.Items.Any(v => v.UserId == "newcomer"), deadline, "the status index shows the newcomer");

        Assert.Equal((Seats, 0), (full.SeatsUsed, full.PendingCount));
        Assert.True(registered.Created);
        Assert.Equal(MailboxStatus.Pending, queued.Status);
        Assert.Equal((Seats, 0), (after.SeatsUsed, after.PendingCount));
        Assert.True(await company.Grain.HoldsSeat("newcomer"));
        Assert.False(await company.Grain.HoldsSeat("u000007"));
        Assert.Equal(100, firstPage.Items.Count);
        Assert.NotNull(firstPage.Next);
        Assert.Contains(holding.Items, v => v.UserId == "newcomer");
        // One row per user moved, whatever the size of the company (the whole ledger would be megabytes).
        Assert.InRange(bytesToQueue, 1, 1024);
        Assert.InRange(bytesToReleaseAndPromote, 1, 2048);
        Assert.InRange(await GrainStateBytes(companyId), 1, 1024);
    }

    /// <summary>100,000 registered users, the first 20,000 holding seats, written straight to the company's rows.</summary>
    private static async Task PlantAsync(string companyId)
    {
        var store = new AzureCompanyRows(new MailSyncTables(new TableServiceClient(TestServices.Current.TablesConnectionString)));
        var users = Enumerable.Range(0, Users).Select(i => new CompanyUser($"u{i:D6}", $"u{i:D6}@big.test", "Salesperson"));
        await Parallel.ForEachAsync(users.Chunk(TableBatches.MaxActionsPerTransaction), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (chunk, ct) =>
        {
            await store.ApplyAsync(DirectoryTables.Users, companyId, [.. chunk.Select(u => RowChange.Upsert(UserRows.Key(u.UserId), UserRows.NewRegistration(u)))], ct);
            var holders = chunk.Where(u => int.Parse(u.UserId[1..]) < Seats).Select(u => new SeatRow(u.UserId, Holder: true, 0)).ToList();
            if (holders.Count > 0) await store.ApplyAsync(DirectoryTables.Seats, companyId, [.. holders.Select(h => RowChange.Upsert(h.Key, h.Columns))], ct);
        });
    }

    /// <summary>The company grain's own state as stored by Orleans (the grain-state rows that name the company but no mailbox).</summary>
    private static async Task<long> GrainStateBytes(string companyId)
    {
        var table = new TableServiceClient(TestServices.Current.TablesConnectionString).GetTableClient("OrleansGrainState");
        long bytes = 0;
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            var keys = row.PartitionKey + row.RowKey;
            // The company's webhooks grain (subscriptions, event-log positions) is another grain of the same key.
            if (keys.Contains(companyId, StringComparison.Ordinal) && !keys.Contains("newcomer", StringComparison.Ordinal) &&
                !keys.Contains("webhooks", StringComparison.OrdinalIgnoreCase)) bytes += TableEntitySize.Of(row);
        }
        return bytes;
    }
}
