using MailSync.Grains.Interfaces.Health;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Shared.Cluster;
using MailSync.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailSync.IntegrationTests.Foundation;

/// <summary>
/// Cluster traffic with mutual TLS, as production runs it: a silo on Azurite whose certificate the test's CA issued, and
/// API-style cluster clients (<c>Orleans:Mode=Client</c> builds exactly these) with and without a certificate of that CA.
/// </summary>
[Trait("Category", "Servers")]
public sealed class ClusterTlsTests : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?> cluster = AzuriteSilo.NewSettings();
    private AzuriteSilo silo = null!;

    public async Task InitializeAsync()
    {
        silo = new AzuriteSilo(cluster);
        await silo.StartAsync();
    }

    public async Task DisposeAsync() => await silo.DisposeAsync();

    [Fact]
    public async Task Client_with_a_certificate_of_the_cluster_CA_calls_grains()
    {
        await using var client = await StartClientAsync(TestCertificates.Cluster.HostSettings("api"));

        var answeredBy = await client.Services.GetRequiredService<IClusterClient>().GetGrain<IReadinessGrain>(0).Ping();

        Assert.False(string.IsNullOrEmpty(answeredBy));
    }

    [Fact]
    public async Task Client_without_a_certificate_is_refused()
    {
        var plain = new Dictionary<string, string?> { ["Orleans:Tls:Enabled"] = "false" };

        await AssertRefusedAsync(plain);
    }

    [Fact]
    public async Task Client_with_a_certificate_of_another_CA_is_refused()
    {
        using var stranger = new TestCertificates("Somebody else's CA");

        await AssertRefusedAsync(stranger.HostSettings("intruder"));
    }

    /// <summary>
    /// Refused: the client's first connection to the silo's gateway fails (recorded by a retry filter that stops Orleans'
    /// endless retries), and no grain call gets through. A client that reached a grain fails the test.
    /// </summary>
    private async Task AssertRefusedAsync(IReadOnlyDictionary<string, string?> tls)
    {
        var firstAttempt = new FirstAttemptOnly();

        var refused = await Record.ExceptionAsync(async () =>
        {
            await using var client = await StartClientAsync(tls, firstAttempt);
            await client.Services.GetRequiredService<IClusterClient>().GetGrain<IReadinessGrain>(0).Ping();
        });

        Assert.NotNull(refused);
        Assert.Same(firstAttempt.Failure, refused);
        Assert.IsAssignableFrom<OrleansException>(refused);
    }

    /// <summary>Orleans retries a client's connection forever by default; a test wants the first failure.</summary>
    private sealed class FirstAttemptOnly : IClientConnectionRetryFilter
    {
        public Exception? Failure { get; private set; }

        public Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            Failure = exception;
            return Task.FromResult(false);
        }
    }

    private async Task<ClientHost> StartClientAsync(IReadOnlyDictionary<string, string?> tls, IClientConnectionRetryFilter? retryFilter = null)
    {
        // Development: the servers on 127.0.0.1 and their free ports need the flags refused elsewhere.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(cluster.Where(s => !s.Key.StartsWith("Orleans:Tls:", StringComparison.Ordinal)));
        builder.Configuration.AddInMemoryCollection(tls);
        builder.UseOrleansClient(client => client.UseMailSyncCluster(builder.Configuration));
        if (retryFilter is not null) builder.Services.AddSingleton(retryFilter);
        var host = builder.Build();
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StartAsync(deadline.Token);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new ClientHost(host);
    }

    private sealed class ClientHost(IHost host) : IAsyncDisposable
    {
        public IServiceProvider Services => host.Services;

        public async ValueTask DisposeAsync()
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await host.StopAsync(deadline.Token);
            }
            finally
            {
                host.Dispose();
            }
        }
    }
}
