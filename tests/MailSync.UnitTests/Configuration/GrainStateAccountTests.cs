using Azure.Data.Tables;
using MailSync.Shared.Cluster;
using MailSync.Shared.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.UnitTests.Configuration;

public sealed class GrainStateAccountTests
{
    private const string Main =
        "DefaultEndpointsProtocol=https;AccountName=mainacct;AccountKey=a2V5;EndpointSuffix=core.windows.net";

    private const string Second =
        "DefaultEndpointsProtocol=https;AccountName=stateacct;AccountKey=a2V5;EndpointSuffix=core.windows.net";

    private static (TableServiceClient Main, TableServiceClient GrainState) Clients(string? grainState)
    {
        var services = new ServiceCollection().AddMailSyncSharedServices(
            new StorageSettings { ConnectionString = Main, GrainStateConnectionString = grainState }).BuildServiceProvider();
        return (services.GetRequiredService<TableServiceClient>(),
            services.GetRequiredKeyedService<TableServiceClient>(StorageSettings.GrainStateClientKey));
    }

    [Fact]
    public void Grain_state_uses_its_own_account_when_one_is_configured_and_the_main_one_otherwise()
    {
        var separate = Clients(Second);
        var shared = Clients(null);

        Assert.Equal(("mainacct", "stateacct"), (separate.Main.AccountName, separate.GrainState.AccountName));
        Assert.Same(shared.Main, shared.GrainState);
    }
}
