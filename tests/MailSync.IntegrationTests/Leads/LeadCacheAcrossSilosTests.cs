using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Leads;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Leads;

/// <summary>Each silo remembers look-ups; a change written through one silo is seen by the next look-up on another.</summary>
[Trait("Category", "Servers")]
public sealed class LeadCacheAcrossSilosTests
{
    [Fact]
    public async Task An_address_change_and_a_removal_through_one_silo_take_effect_at_once_for_a_lookup_on_another()
    {
        var settings = AzuriteSilo.NewSettings();
        await using var writer = new AzuriteSilo(settings);
        await using var reader = new AzuriteSilo(settings);
        await writer.StartAsync();
        await reader.StartAsync();
        // A write tells the silos its own membership view knows: wait until that view has the reader.
        var membership = writer.Services.GetRequiredService<IClusterMembershipService>();
        await Poll.UntilAsync(() => Task.FromResult(membership.CurrentSnapshot.Members.Values.Count(m => m.Status == SiloStatus.Active)),
            active => active == 2, TimeSpan.FromSeconds(60), "both silos active in the writer's view");
        var company = $"co-{Guid.NewGuid():N}";
        var directory = writer.Grains.GetGrain<ILeadDirectoryGrain>(company);
        var lookup = reader.Services.GetRequiredService<LeadLookup>();
        await directory.Upsert([new Lead("lee", "lee@lead.example", null)]);

        var before = await lookup.ResolveAsync(company, ["lee@lead.example", "lee@new.example"]);
        await directory.Upsert([new Lead("lee", "lee@new.example", null)]);
        var moved = await lookup.ResolveAsync(company, ["lee@lead.example", "lee@new.example"]);
        await directory.Remove("lee");
        var removed = await lookup.ResolveAsync(company, ["lee@lead.example", "lee@new.example"]);

        Assert.Equal(["lee@lead.example"], before.Keys);
        Assert.Equal(["lee@new.example"], moved.Keys);
        Assert.Empty(removed);
    }
}
