using MailSync.Grains.Hosting;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Shared.Cluster;
using MailSync.Shared.Storage;
using MailSync.Shared.Time;
using MailSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>
/// A two-silo in-process cluster with memory storage, the production grain services, a scripted connector and a
/// fake mail-sync clock (Orleans keeps its real clock). One per test class (<c>IClassFixture&lt;ClusterFixture&gt;</c>): the
/// tests of a class share its cluster, connector and clock and run one after another, so a test that moves the clock
/// moves only its own class's clock, never another class's.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly MemoryCompanyRows rows = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public ScriptedConnector Connector { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(TestSecrets.Settings));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.GrainState);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(new MailSyncClock(Time));
            silo.Services.AddSingleton<IMailboxConnector>(Connector);
            silo.Services.AddSingleton<ICompanyRows>(rows); // one store for both silos, as one storage account would be
            silo.Services.AddMailSyncSharedServices(new StorageSettings());
            silo.AddMailSyncGrains();
            silo.AddGrainExtension<IMailboxTestHooks, MailboxTestHooks>();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
