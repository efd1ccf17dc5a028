using Azure.Data.Tables;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using MailSync.Shared.Google;
using MailSync.Shared.MicrosoftIdentity;
using MailSync.Shared.Secrets;
using MailSync.Shared.Storage;
using MailSync.Shared.Time;
using MailSync.Shared.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Dashboard;

namespace MailSync.Shared.Cluster;

/// <summary>
/// The one place that turns configuration into an Orleans host of this service: clustering, grain storage and
/// reminders (Azure Tables or memory, decided once from <c>Storage:ConnectionString</c>), and the services every host
/// shares. A silo adds its grains on top (<c>AddMailSyncGrains</c> in the Grains assembly).
/// </summary>
public static class ClusterHosting
{
    /// <summary>Orleans' <c>ClusterMembershipOptions</c> (silos): probe timeout, missed probes, votes for a death.</summary>
    public const string MembershipSection = "Orleans:Membership";

    /// <summary>Orleans' <c>GatewayOptions</c> (API clients).</summary>
    public const string GatewaySection = "Orleans:Gateway";

    public static ISiloBuilder UseMailSyncCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        var (cluster, storage) = JoinCluster(silo.Services, configuration);
        if (storage.UsesAzureTables)
        {
            silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseAzureStorageClustering(o => o.Configure<TableServiceClient>((o, tables) => o.TableServiceClient = tables));
            silo.AddAzureTableGrainStorage(StorageNames.GrainState, o => o.Configure<IServiceProvider>((o, services) =>
                o.TableServiceClient = services.GetRequiredKeyedService<TableServiceClient>(StorageSettings.GrainStateClientKey)));
            silo.UseAzureTableReminderService(o => o.Configure<TableServiceClient>((o, tables) => o.TableServiceClient = tables));
        }
        else
        {
            silo.UseLocalhostClustering(
                cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.EffectiveClusterId);
            silo.AddMemoryGrainStorage(StorageNames.GrainState);
            silo.UseInMemoryReminderService();
        }
        if (cluster.Tls.IsOn) silo.UseTls(tls => ClusterTls(tls, cluster.Tls));
        // Grain calls carry the caller's trace (W3C traceparent in the request context); free while nothing listens.
        silo.AddActivityPropagation();
        // Every silo collects the dashboard's figures (grain calls, silo counters), whichever host shows them.
        if (Dashboard(configuration).Enabled) silo.AddDashboard();
        // A silo killed outright is declared dead after about NumMissedProbesLimit × ProbeTimeout (Orleans: 3 × 5 s); its
        // mailboxes come back only then, so the default probes every 2 s. Every other membership setting binds as Orleans names it.
        silo.Services.AddOptions<ClusterMembershipOptions>()
            .Configure(o => o.ProbeTimeout = TimeSpan.FromSeconds(2))
            .Bind(configuration.GetSection(MembershipSection));
        return silo;
    }

    public static IClientBuilder UseMailSyncCluster(this IClientBuilder client, IConfiguration configuration)
    {
        var (cluster, storage) = JoinCluster(client.Services, configuration);
        if (storage.UsesAzureTables)
            client.UseAzureStorageClustering(o => o.Configure<TableServiceClient>((o, tables) => o.TableServiceClient = tables));
        else
            client.UseLocalhostClustering(cluster.GatewayPort, cluster.ServiceId, cluster.EffectiveClusterId);
        if (cluster.Tls.IsOn) client.UseTls(tls => ClusterTls(tls, cluster.Tls));
        client.AddActivityPropagation();
        if (Dashboard(configuration).Enabled) client.AddDashboard();
        // A client learns of new and dead gateways from the membership table this often (Orleans: 1 minute).
        client.Services.AddOptions<GatewayOptions>()
            .Configure(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(10))
            .Bind(configuration.GetSection(GatewaySection));
        return client;
    }

    private static DashboardSettings Dashboard(IConfiguration configuration) =>
        ValidatedOptions.Read<DashboardSettings>(configuration, DashboardSettings.Section);

    /// <summary>
    /// Mutual TLS on every cluster connection (silo to silo, client to gateway): each side presents its certificate and
    /// accepts only one issued by the cluster's CA. Certificates load on first use; at start <c>ClusterTlsGuard</c> has
    /// already refused files that cannot be read, naming the setting.
    /// </summary>
    private static void ClusterTls(TlsOptions tls, ClusterTlsSettings settings)
    {
        var certificates = new Lazy<ClusterCertificates>(() => ClusterCertificates.Load(settings));
        tls.LocalServerCertificateSelector = (_, _) => certificates.Value.Local;
        tls.LocalClientCertificateSelector = (_, _, _, _, _) => certificates.Value.Local;
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.RemoteCertificateValidation = (peer, _, errors) => certificates.Value.Trusts(peer, errors);
    }

    /// <summary>Settings read once for the host being built, the shared services, and the cluster's identity.</summary>
    private static (ClusterSettings Cluster, StorageSettings Storage) JoinCluster(IServiceCollection services, IConfiguration configuration)
    {
        var cluster = ValidatedOptions.Read<ClusterSettings>(configuration, ClusterSettings.Section);
        var storage = ValidatedOptions.Read<StorageSettings>(configuration, StorageSettings.Section);
        services.AddMailSyncSharedServices(storage);
        // A real host never runs on memory outside Development (test clusters that want memory use the shared services alone).
        services.AddSingleton<IValidateOptions<StorageSettings>, StorageGuard>();
        services.AddSingleton<IValidateOptions<ClusterSettings>, ClusterTlsGuard>();
        services.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (cluster.ServiceId, cluster.EffectiveClusterId));
        return (cluster, storage);
    }

    /// <summary>
    /// What every host of the cluster needs, silo or API client: validated options, the clock, the encryption of
    /// secrets with keys every host shares, Google's token endpoint, and (in Azure mode) the one Table storage client.
    /// </summary>
    public static IServiceCollection AddMailSyncSharedServices(this IServiceCollection services, StorageSettings storage)
    {
        services.AddValidatedOptions<ClusterSettings>(ClusterSettings.Section);
        services.AddValidatedOptions<StorageSettings>(StorageSettings.Section);
        services.AddValidatedOptions<MailSyncOptions>(MailSyncOptions.Section)
            .Validate<IOptions<ReminderOptions>>((o, reminders) => o.ReminderPeriod >= reminders.Value.MinimumReminderPeriod,
                "MailSync:ReminderPeriod is below Orleans' ReminderOptions.MinimumReminderPeriod (1 minute unless lowered).");
        services.AddValidatedOptions<SecretOptions>(SecretOptions.Section);
        var developmentFlags = (IServiceProvider sp) => new DevelopmentFlagsGuard(sp.GetRequiredService<IHostEnvironment>(), storage);
        services.AddSingleton<IValidateOptions<MailSyncOptions>>(developmentFlags);
        services.AddSingleton<IValidateOptions<WebhookOptions>>(developmentFlags);
        // Keys are required outside Development and wherever storage is real: a generated key would not outlive the process.
        services.AddSingleton<IValidateOptions<SecretOptions>>(
            sp => new SecretKeysGuard(sp.GetRequiredService<IHostEnvironment>(), storage));
        services.AddValidatedOptions<GoogleOptions>(GoogleOptions.Section);
        services.AddValidatedOptions<MicrosoftOptions>(MicrosoftOptions.Section);
        services.AddValidatedOptions<WebhookOptions>(WebhookOptions.Section)
            .Validate<IOptions<ReminderOptions>>((o, reminders) => o.ReminderPeriod >= reminders.Value.MinimumReminderPeriod,
                "Webhooks:ReminderPeriod is below Orleans' ReminderOptions.MinimumReminderPeriod (1 minute unless lowered).");
        services.TryAddSingleton(new MailSyncClock(TimeProvider.System)); // tests register a fake clock first
        services.AddSingleton<SecretProtector>();
        // One long-lived client; pooled connections are recycled so DNS changes of Google's endpoints are seen.
        services.AddSingleton(sp => new GoogleTokenClient(sp.GetRequiredService<IOptions<GoogleOptions>>(),
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            { Timeout = TimeSpan.FromSeconds(30) }));
        services.AddSingleton(sp => new MicrosoftTokenClient(sp.GetRequiredService<IOptions<MicrosoftOptions>>(),
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            { Timeout = TimeSpan.FromSeconds(30) }));
        // A host that counts its storage requests (the storage benchmark) registers its own clients first.
        if (storage.UsesAzureTables)
        {
            services.TryAddSingleton(new TableServiceClient(storage.ConnectionString));
            // Grain state on an account of its own when one is configured (docs/capacity.md), else the same client.
            services.TryAddKeyedSingleton(StorageSettings.GrainStateClientKey, (sp, _) =>
                string.IsNullOrWhiteSpace(storage.GrainStateConnectionString)
                    ? sp.GetRequiredService<TableServiceClient>()
                    : new TableServiceClient(storage.GrainStateConnectionString));
        }
        return services;
    }
}
