using MailSync.Grains.Hosting;
using MailSync.Grains.Mailboxes;
using MailSync.Grains.Sync;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MailSync.Tests.Infrastructure;

/// <summary>
/// A two-silo in-process cluster with memory storage, the production grain services, a scripted connector and a
/// fake mail-sync clock (Orleans keeps its real clock). Shared by the tests of a collection.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public ScriptedConnector Connector { get; } = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(TestSecrets.Settings).Build();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(StorageNames.GrainState);
            silo.UseInMemoryReminderService();
            silo.Services.AddSingleton(new MailSyncClock(Time));
            silo.Services.AddSingleton<IMailboxConnector>(Connector);
            silo.Services.AddMailSyncGrainServices(configuration);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
