using MailSync.Silo.Hosting;

namespace MailSync.Api.Hosting;

public static class OrleansHostingExtensions
{
    /// <summary>Adds a co-hosted silo or a cluster client, per <c>Orleans:Mode</c>.</summary>
    public static WebApplicationBuilder AddMailSyncOrleans(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration["Orleans:Mode"];
        var mode = OrleansMode.Cohosted;
        if (!string.IsNullOrEmpty(configured) && !Enum.TryParse(configured, ignoreCase: true, out mode))
        {
            throw new InvalidOperationException(
                $"Orleans:Mode '{configured}' is not one of: {string.Join(", ", Enum.GetNames<OrleansMode>())}.");
        }

        if (mode == OrleansMode.Cohosted)
            builder.UseOrleans(silo => silo.UseMailSyncCluster(builder.Configuration));
        else
            builder.UseOrleansClient(client => client.UseMailSyncCluster(builder.Configuration));
        return builder;
    }
}
