using MailSync.Grains.Interfaces.Leads;
using MailSync.IntegrationTests.Infrastructure;

namespace MailSync.IntegrationTests.Sync;

public sealed class LeadDirectoryTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Addresses_resolve_case_insensitively_in_one_call_and_removed_leads_stop_matching()
    {
        var directory = fixture.Client.GetGrain<ILeadDirectoryGrain>($"co-{Guid.NewGuid():N}");
        var created = await directory.Upsert([new Lead("lee", "Lee@Lead.Example", "Lee"), new Lead("lia", "lia@lead.example", null), new Lead("lee-alt", "lee@lead.example", "Lee (2nd record)")]);
        var updated = await directory.Upsert([new Lead("lia", "lia.new@lead.example", "Lia")]);

        var matches = await directory.Resolve(["LEE@lead.example", "lia@lead.example", "LIA.NEW@LEAD.EXAMPLE", "nobody@x.example"]);
        var removed = await directory.Remove("lee");
        var afterRemoval = await directory.Resolve(["lee@lead.example"]);

        Assert.Equal([true, true, true], created.Created);
        Assert.Equal([false], updated.Created);
        Assert.Equal(["lee", "lee-alt"], matches["lee@lead.example"]);
        Assert.Equal(["lia"], matches["lia.new@lead.example"]);
        Assert.Equal(2, matches.Count);
        Assert.True(removed);
        Assert.False(await directory.Remove("lee"));
        Assert.Equal(["lee-alt"], afterRemoval["lee@lead.example"]);
        Assert.Equal("Lia", (await directory.Get("lia"))!.Name);
    }
}
