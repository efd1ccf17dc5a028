using System.Diagnostics;
using System.Text;
using MailSync.Shared.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailSync.Testing;

/// <summary>
/// A cluster as an operator runs it: silo processes (<c>dotnet MailSync.Silo.dll</c>, environment Production) on Azurite
/// with mutual TLS, and a cluster client in the test process, as an API host in Client mode has. Silos can be killed
/// (SIGKILL), stopped gracefully (SIGTERM) and started again; all share one ServiceId, so state and reminders carry over.
/// </summary>
public sealed class SiloProcesses : IAsyncDisposable
{
    private readonly List<Silo> running = [];
    private readonly Dictionary<string, string> environment;
    private readonly Dictionary<string, string?> clientSettings;
    private IHost? client;
    private int started;

    public SiloProcesses(IReadOnlyDictionary<string, string> settings)
    {
        var serviceId = $"svc-{Guid.NewGuid():N}";
        var clusterId = $"cl-{Guid.NewGuid():N}";
        environment = new Dictionary<string, string>(settings)
        {
            ["Storage__ConnectionString"] = TestServices.Current.TablesConnectionString,
            ["Orleans__ServiceId"] = serviceId,
            ["Orleans__ClusterId"] = clusterId,
        };
        foreach (var (name, value) in TestSecrets.Settings) environment[name.Replace(":", "__", StringComparison.Ordinal)] = value!;
        clientSettings = new Dictionary<string, string?>(TestSecrets.Settings.Concat(TestCertificates.Cluster.HostSettings("test-client")))
        {
            ["Storage:ConnectionString"] = TestServices.Current.TablesConnectionString,
            ["Orleans:ServiceId"] = serviceId,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:Gateway:GatewayListRefreshPeriod"] = "00:00:02",
        };
    }

    public IReadOnlyList<Silo> Running => running;

    public IGrainFactory Grains => client?.Services.GetRequiredService<IClusterClient>() ?? throw new InvalidOperationException("No client yet.");

    /// <summary>
    /// The environment of another host of this cluster (e.g. an API process in Client mode): storage, cluster ids, secrets
    /// keys, and a certificate of its own.
    /// </summary>
    public Dictionary<string, string> HostEnvironment(string name)
    {
        var settings = new Dictionary<string, string>(environment);
        foreach (var (key, value) in TestCertificates.Cluster.HostSettings(name)) settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        return settings;
    }

    /// <summary>Starts a silo process and waits until the cluster lists it as active.</summary>
    public async Task<Silo> StartSiloAsync()
    {
        var name = $"silo-{++started}";
        return await StartHostAsync(name, HostProcess.Start(HostProcess.Dll("Silo", "MailSync.Silo.dll"), HostProcess.SiloEnvironment("Development", HostEnvironment(name))));
    }

    /// <summary>
    /// Starts another host that runs a silo of this cluster (an API co-hosting one, with <see cref="HostEnvironment"/>) and
    /// waits until the cluster lists it as active. <paramref name="onLine"/> sees every line the host writes.
    /// </summary>
    public async Task<Silo> StartHostAsync(string name, ProcessStartInfo start, Action<string>? onLine = null)
    {
        var silo = new Silo(name, Process.Start(start)!, onLine);
        running.Add(silo);
        client ??= await StartClientAsync();
        await Poll.UntilAsync(async () => silo.HasExited || await ActiveSilosAsync() >= running.Count, done => done, HostProcess.Deadline, $"{name} active");
        if (silo.HasExited) throw new InvalidOperationException($"{name} exited: {silo.Output}");
        return silo;
    }

    /// <summary>kill -9: no goodbye, the membership finds out by probing.</summary>
    public async Task KillAsync(Silo silo)
    {
        running.Remove(silo);
        await silo.KillAsync();
    }

    /// <summary>SIGTERM: the silo hands over and leaves the membership, as in a rolling deploy.</summary>
    public async Task StopAsync(Silo silo)
    {
        running.Remove(silo);
        await silo.TerminateAsync();
    }

    public async Task<int> ActiveSilosAsync()
    {
        try
        {
            return (await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            return 0;
        }
    }

    private async Task<IHost> StartClientAsync()
    {
        // Development: the servers on 127.0.0.1 and their free ports need the flags refused elsewhere.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(clientSettings);
        builder.UseOrleansClient(c => c.UseMailSyncCluster(builder.Configuration));
        var host = builder.Build();
        using var deadline = new CancellationTokenSource(HostProcess.Deadline);
        await host.StartAsync(deadline.Token);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        if (client is not null)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await client.StopAsync(deadline.Token);
            client.Dispose();
        }
        foreach (var silo in running) await silo.KillAsync();
        running.Clear();
    }

    public sealed class Silo
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        private readonly Action<string>? onLine;

        public Silo(string name, Process process, Action<string>? onLine = null)
        {
            Name = name;
            this.process = process;
            this.onLine = onLine;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Name { get; }

        public bool HasExited => process.HasExited;

        /// <summary>The process id, for reading its CPU time and RSS from /proc.</summary>
        public int ProcessId => process.Id;

        /// <summary>The last lines the silo wrote, for a failing test's message.</summary>
        public string Output
        {
            get
            {
                lock (output) return output.ToString();
            }
        }

        public async Task KillAsync()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }

        public async Task TerminateAsync()
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
            using var deadline = new CancellationTokenSource(HostProcess.Deadline);
            await process.WaitForExitAsync(deadline.Token);
            process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null) return;
            onLine?.Invoke(line);
            lock (output)
            {
                if (output.Length > 64 * 1024) output.Remove(0, output.Length - 32 * 1024);
                output.AppendLine(line);
            }
        }
    }
}
