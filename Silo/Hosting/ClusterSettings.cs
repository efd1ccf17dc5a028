using System.Net;
using Microsoft.Extensions.Configuration;

namespace MailSync.Silo.Hosting;

/// <summary>
/// Where the cluster keeps its membership, grain state and reminders, read from configuration once.
/// <c>Storage:ConnectionString</c> absent means the zero-dependency development mode (localhost clustering,
/// memory storage, in-memory reminders); present means Azure Table storage for all three.
/// </summary>
public sealed record ClusterSettings(
    string? StorageConnectionString,
    string ServiceId,
    string ClusterId,
    IPAddress AdvertisedAddress,
    int SiloPort,
    int GatewayPort)
{
    public bool UsesAzureStorage => StorageConnectionString is not null;

    public static ClusterSettings From(IConfiguration configuration)
    {
        var orleans = configuration.GetSection("Orleans");
        var connection = configuration["Storage:ConnectionString"];
        var address = orleans["AdvertisedIP"] is { Length: > 0 } ip
            ? IPAddress.TryParse(ip, out var parsed) ? parsed
                : throw new InvalidOperationException($"Orleans:AdvertisedIP '{ip}' is not an IP address.")
            : IPAddress.Loopback;
        return new ClusterSettings(
            string.IsNullOrWhiteSpace(connection) ? null : connection,
            ValueOr(orleans, "ServiceId", "mailsync"),
            ValueOr(orleans, "ClusterId", "dev"),
            address,
            Port(orleans, "SiloPort", 11111),
            Port(orleans, "GatewayPort", 30000));
    }

    private static string ValueOr(IConfigurationSection section, string key, string fallback) =>
        section[key] is { Length: > 0 } value ? value : fallback;

    private static int Port(IConfigurationSection section, string key, int fallback)
    {
        var raw = section[key];
        if (string.IsNullOrEmpty(raw)) return fallback;
        return int.TryParse(raw, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"Orleans:{key} '{raw}' is not a TCP port.");
    }
}
