using Azure.Data.Tables;
using MailSync.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace MailSync.Silo.Hosting;

/// <summary>
/// The one place that turns configuration into Orleans clustering, grain storage and reminders, for the silo
/// host, the API co-hosting a silo, and the API as a client of an external cluster.
/// </summary>
public static class ClusterHosting
{
    public static ISiloBuilder UseMailSyncCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = ClusterSettings.From(configuration);
        silo.Services.AddMailSyncGrainServices(configuration);
        silo.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (settings.ServiceId, settings.ClusterId));
        if (settings.UsesAzureStorage)
        {
            var tables = new TableServiceClient(settings.StorageConnectionString);
            silo.ConfigureEndpoints(settings.AdvertisedAddress, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: false);
            silo.UseAzureStorageClustering(o => o.TableServiceClient = tables);
            silo.AddAzureTableGrainStorage(StorageNames.GrainState, o => o.TableServiceClient = tables);
            silo.UseAzureTableReminderService(o => o.TableServiceClient = tables);
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
            silo.AddMemoryGrainStorage(StorageNames.GrainState);
            silo.UseInMemoryReminderService();
        }
        return silo;
    }

    public static IClientBuilder UseMailSyncCluster(this IClientBuilder client, IConfiguration configuration)
    {
        var settings = ClusterSettings.From(configuration);
        client.Configure<ClusterOptions>(o => (o.ServiceId, o.ClusterId) = (settings.ServiceId, settings.ClusterId));
        if (settings.UsesAzureStorage)
        {
            var tables = new TableServiceClient(settings.StorageConnectionString);
            client.UseAzureStorageClustering(o => o.TableServiceClient = tables);
        }
        else
        {
            client.UseLocalhostClustering(settings.GatewayPort, settings.ServiceId, settings.ClusterId);
        }
        return client;
    }
}
