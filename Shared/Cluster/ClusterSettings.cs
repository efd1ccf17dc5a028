using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MailSync.Shared.Cluster;

/// <summary>
/// Configuration section <c>Orleans</c>: which cluster a host joins and where it listens. Silos and API clients of one
/// deployment share <see cref="ServiceId"/> (keep it stable: state and reminders are keyed by it) and <see cref="ClusterId"/>.
/// </summary>
public sealed class ClusterSettings : IValidatableObject
{
    public const string Section = "Orleans";

    /// <summary>Whether the API runs a silo in-process or is only a client (the silo host ignores it).</summary>
    public OrleansMode Mode { get; set; } = OrleansMode.Cohosted;

    [Required(AllowEmptyStrings = false)]
    public string ServiceId { get; set; } = "mailsync";

    /// <summary>
    /// The cluster this host joins; unset, the ServiceId. Hosts of two services sharing a storage account then never form
    /// one cluster by default: grain state and reminders are keyed by ServiceId, so a grain placed on the other service's
    /// silo would read nothing and show an empty mailbox.
    /// </summary>
    public string? ClusterId { get; set; }

    /// <summary>The cluster id in effect: <see cref="ClusterId"/>, else <see cref="ServiceId"/>.</summary>
    public string EffectiveClusterId => string.IsNullOrWhiteSpace(ClusterId) ? ServiceId : ClusterId;

    /// <summary>The address other silos and clients reach this silo at (Azure Table clustering); loopback when unset.</summary>
    public string? AdvertisedIP { get; set; }

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Mutual TLS between the cluster's hosts (<c>Orleans:Tls:*</c>).</summary>
    public ClusterTlsSettings Tls { get; set; } = new();

    public IPAddress AdvertisedAddress =>
        string.IsNullOrEmpty(AdvertisedIP) ? IPAddress.Loopback : IPAddress.Parse(AdvertisedIP);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(AdvertisedIP) && !IPAddress.TryParse(AdvertisedIP, out _))
            yield return new ValidationResult($"Orleans:AdvertisedIP '{AdvertisedIP}' is not an IP address.", [nameof(AdvertisedIP)]);
    }
}
