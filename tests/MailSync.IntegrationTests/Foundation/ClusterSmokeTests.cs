using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Health;
using MailSync.IntegrationTests.Infrastructure;

namespace MailSync.IntegrationTests.Foundation;

public sealed class ClusterSmokeTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Readiness_grain_answers_from_a_silo_of_the_cluster()
    {
        var silo = await fixture.Client.GetGrain<IReadinessGrain>(0).Ping();

        Assert.Contains(silo, fixture.Cluster.Silos.Select(s => s.SiloAddress.ToString()));
    }

    [Fact]
    public async Task Company_profile_written_through_one_grain_reference_is_read_through_another()
    {
        var id = $"co-{Guid.NewGuid():N}";
        var (_, created) = await fixture.Client.GetGrain<ICompanyGrain>(id).Upsert("Acme", 3);
        var (_, createdAgain) = await fixture.Client.GetGrain<ICompanyGrain>(id).Upsert("Acme Ltd", 4);

        var profile = await fixture.Client.GetGrain<ICompanyGrain>(id).GetProfile();

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(new CompanyProfile(id, "Acme Ltd", 4), profile);
        Assert.Null(await fixture.Client.GetGrain<ICompanyGrain>($"missing-{Guid.NewGuid():N}").GetProfile());
    }
}
