using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Foundation;

/// <summary>
/// Two services on one storage account, each configured with its own ServiceId and nothing else: they must stay two
/// clusters. Joined, one service's mailbox could be placed on the other's silo, which reads grain state under its own
/// ServiceId, finds nothing and shows the mailbox empty (NotConfigured), or fails while that service's storage is away.
/// </summary>
[Trait("Category", "Servers")]
public sealed class ClusterIdentityTests
{
    [Fact]
    public async Task Hosts_with_different_service_ids_on_one_storage_account_never_form_one_cluster()
    {
        var first = Host();
        var second = Host();
        await first.InitializeAsync();
        try
        {
            await second.InitializeAsync();
            try
            {
                // The second silo read the membership table as it joined: it sees the first only if they share a cluster.
                var seen = second.Services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.Members.Values
                    .Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress).ToList();

                Assert.Equal([second.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress], seen);
            }
            finally
            {
                await second.DisposeAsync();
            }
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private static ApiFixture Host() => new()
    {
        ExtraSettings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = TestServices.Current.TablesConnectionString,
            ["Orleans:ServiceId"] = $"svc-{Guid.NewGuid():N}",
        },
    };
}
