using MailSync.Grains.Hosting;
using MailSync.Shared.Cluster;
using MailSync.Shared.Configuration;

namespace MailSync.Api.Hosting;

public static class OrleansHostingExtensions
{
    /// <summary>
    /// A co-hosted silo with the grains, or only a cluster client, per <c>Orleans:Mode</c>. The one place the API
    /// touches the Grains assembly; everything else reaches grains through their interfaces.
    /// </summary>
    public static WebApplicationBuilder AddMailSyncOrleans(this WebApplicationBuilder builder)
    {
        var mode = ValidatedOptions.Read<ClusterSettings>(builder.Configuration, ClusterSettings.Section).Mode;
        var gatewayLoss = new GatewayLossSignal();
        builder.Services.AddSingleton(gatewayLoss);
        if (mode == OrleansMode.Cohosted)
            builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration).AddMailSyncGrains());
        else
            builder.UseOrleansClient(client =>
                client.UseMailSyncCluster(builder.Configuration).AddClusterConnectionStatusObserver(gatewayLoss));
        return builder;
    }
}
