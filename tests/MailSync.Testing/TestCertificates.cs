using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailSync.Testing;

/// <summary>
/// Real X.509 certificates made for a test: a cluster CA and host certificates it issues, written as PEM files
/// (certificate and key apart) into a temporary folder, as an operator would deploy them.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("mailsync-certs-");
    private readonly X509Certificate2 authority;

    /// <summary>One cluster CA for the whole test run: production-like hosts in tests speak mutual TLS with it.</summary>
    public static TestCertificates Cluster => SharedCluster.Value;

    private static readonly Lazy<TestCertificates> SharedCluster = new(() =>
    {
        var certificates = new TestCertificates();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => certificates.Dispose();
        return certificates;
    });

    public TestCertificates(string authorityName = "MailSync test cluster CA")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={authorityName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        AuthorityPath = Write("ca.crt", authority.ExportCertificatePem());
    }

    /// <summary>The CA's certificate (PEM), for <c>Orleans:Tls:CaCertificatePath</c>.</summary>
    public string AuthorityPath { get; }

    /// <summary>A host certificate issued by the CA, usable as TLS server and client: (certificate path, key path).</summary>
    public (string CertificatePath, string KeyPath) IssueHost(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false)); // server and client authentication
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName(name);
        request.CertificateExtensions.Add(names.Build());
        var serial = RandomNumberGenerator.GetBytes(16);
        using var certificate = request.Create(authority, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), serial);
        // Files of their own per issue: tests running side by side issue certificates for the same host name, and one
        // reading another's key beside its own certificate would fail at start ("the key does not match").
        var file = $"{name}-{Convert.ToHexStringLower(serial)}";
        return (Write($"{file}.crt", certificate.ExportCertificatePem()), Write($"{file}.key", key.ExportPkcs8PrivateKeyPem()));
    }

    /// <summary>The settings that give a host <paramref name="name"/>'s certificate and trust this CA.</summary>
    public Dictionary<string, string?> HostSettings(string name)
    {
        var (certificate, key) = IssueHost(name);
        return new()
        {
            ["Orleans:Tls:CertificatePath"] = certificate,
            ["Orleans:Tls:KeyPath"] = key,
            ["Orleans:Tls:CaCertificatePath"] = AuthorityPath,
        };
    }

    private string Write(string name, string pem)
    {
        var path = Path.Combine(folder.FullName, name);
        File.WriteAllText(path, pem);
        return path;
    }

    public void Dispose()
    {
        authority.Dispose();
        folder.Delete(recursive: true);
    }
}
