using MailSync.Grains.Hosting;
using MailSync.Shared.Cluster;
using MailSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>
/// A real silo host configured like production (through <see cref="ClusterHosting"/>) on Azurite, in the Development
/// environment that the development flags need (servers on 127.0.0.1, any port), with its own ServiceId so tests never see each other's state. Restarting with the same settings keeps that state.
/// </summary>
public sealed class AzuriteSilo(
    IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null, Action<ISiloBuilder>? configureSilo = null)
    : IAsyncDisposable
{
    private IHost? host;

    /// <summary>Production's settings: Azure storage, shared secrets keys, mutual TLS between hosts (one test CA).</summary>
    public static IReadOnlyDictionary<string, string?> NewSettings() => new Dictionary<string, string?>(
        TestSecrets.Settings.Concat(TestCertificates.Cluster.HostSettings("silo")))
    {
        ["Storage:ConnectionString"] = TestServices.Current.TablesConnectionString,
        ["Orleans:ServiceId"] = $"svc-{Guid.NewGuid():N}",
        ["Orleans:ClusterId"] = $"cl-{Guid.NewGuid():N}",
        ["MailSync:AllowPrivateImapHosts"] = "true",
        ["MailSync:AllowAnyImapPort"] = "true", // Dovecot and the hostile fakes listen on random free ports
    };

    public IServiceProvider Services => host?.Services ?? throw new InvalidOperationException("The silo is not running.");

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    public async Task StartAsync()
    {
        // Development: the servers on 127.0.0.1 and their free ports need the flags refused elsewhere.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
        });
        configureServices?.Invoke(builder.Services);
        builder.UseOrleans(silo =>
        {
            silo.UseMailSyncCluster(builder.Configuration).AddMailSyncGrains();
            configureSilo?.Invoke(silo);
        });
        var built = builder.Build();
        try
        {
            await built.StartAsync();
        }
        catch
        {
            built.Dispose();
            throw;
        }
        host = built;
    }

    public async Task StopAsync()
    {
        if (host is null) return;
        await host.StopAsync();
        host.Dispose();
        host = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
