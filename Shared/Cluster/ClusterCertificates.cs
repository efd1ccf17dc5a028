using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailSync.Shared.Cluster;

/// <summary>
/// This host's certificate and the cluster's CA, loaded from <see cref="ClusterTlsSettings"/>, and the one rule for
/// trusting a peer: its certificate chains to that CA alone. Host names are not checked: silos dial each other by the
/// IP address they advertise, and membership of the cluster is proven by holding a certificate the CA issued.
/// </summary>
public sealed class ClusterCertificates
{
    private ClusterCertificates(X509Certificate2 local, X509Certificate2 authority) => (Local, Authority) = (local, authority);

    public X509Certificate2 Local { get; }

    public X509Certificate2 Authority { get; }

    /// <summary>Loads both files; a refusal message naming the setting when one cannot be used.</summary>
    public static ClusterCertificates Load(ClusterTlsSettings settings)
    {
        var local = Read("Orleans:Tls:CertificatePath", () => LoadLocal(settings));
        if (!local.HasPrivateKey)
            throw new InvalidOperationException($"Orleans:Tls:CertificatePath '{settings.CertificatePath}' has no private key; "
                + "set Orleans:Tls:KeyPath to its PEM key.");
        var authority = Read("Orleans:Tls:CaCertificatePath",
            () => X509CertificateLoader.LoadCertificateFromFile(settings.CaCertificatePath!));
        return new ClusterCertificates(local, authority);
    }

    /// <summary>Whether a peer (silo, or API client at a gateway) presented a certificate issued by the cluster's CA.</summary>
    public bool Trusts(X509Certificate2 peer, SslPolicyErrors errors)
    {
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        // A private CA publishes no revocation list; a leaked host certificate is handled by replacing the CA.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(peer) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(Authority.RawDataMemory.Span);
    }

    private static X509Certificate2 LoadLocal(ClusterTlsSettings settings)
    {
        var path = settings.CertificatePath!;
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            return X509CertificateLoader.LoadPkcs12FromFile(path, settings.CertificatePassword);
        return X509Certificate2.CreateFromPemFile(path, string.IsNullOrEmpty(settings.KeyPath) ? null : settings.KeyPath);
    }

    private static X509Certificate2 Read(string setting, Func<X509Certificate2> load)
    {
        try
        {
            return load();
        }
        catch (Exception e) when (e is CryptographicException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{setting} could not be read as a certificate: {e.Message}", e);
        }
    }
}
