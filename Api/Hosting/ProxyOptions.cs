using System.ComponentModel.DataAnnotations;
using System.Net;

namespace MailSync.Api.Hosting;

/// <summary>
/// Configuration section <c>Proxy</c>: the reverse proxies (load balancers, TLS terminators) whose <c>X-Forwarded-For</c>
/// and <c>X-Forwarded-Proto</c> this host believes. Behind one, a request that reached the proxy over https is https here
/// too: the sign-in cookie is <c>Secure</c>. Empty (the default): no forwarded header is believed.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";

    /// <summary>CIDR networks of the proxies, e.g. <c>10.0.0.0/8</c> or <c>127.0.0.1/32</c>.</summary>
    public List<string> TrustedNetworks { get; set; } = [];

    public IEnumerable<IPNetwork> Networks => TrustedNetworks.Select(n => IPNetwork.Parse(n));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(TrustedNetworks[i], out _))
                yield return new ValidationResult(
                    $"Proxy:TrustedNetworks:{i} must be a network in CIDR form, such as 10.0.0.0/8 or 127.0.0.1/32.",
                    [nameof(TrustedNetworks)]);
        }
    }
}
