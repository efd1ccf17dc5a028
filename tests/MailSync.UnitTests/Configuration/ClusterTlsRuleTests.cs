using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailSync.Shared.Cluster;
using MailSync.Shared.Configuration;
using MailSync.Testing;

namespace MailSync.UnitTests.Configuration;

public sealed class ClusterTlsRuleTests
{
    private static readonly DeploymentContext DevelopmentRun = new("Development", StorageConfigured: false);
    private static readonly DeploymentContext Production = new("Production", StorageConfigured: true);

    [Fact]
    public void Outside_Development_cluster_TLS_is_required_unless_turned_off_explicitly()
    {
        var problem = DeploymentGuard.ClusterTlsProblem(Production, tlsEnabled: null, certificateConfigured: false);

        Assert.NotNull(problem);
        Assert.StartsWith("Orleans:Tls:CertificatePath is not set", problem);
        Assert.Null(DeploymentGuard.ClusterTlsProblem(Production, tlsEnabled: null, certificateConfigured: true));
        Assert.Null(DeploymentGuard.ClusterTlsProblem(Production, tlsEnabled: false, certificateConfigured: false));
        Assert.Null(DeploymentGuard.ClusterTlsProblem(DevelopmentRun, tlsEnabled: null, certificateConfigured: false));
        Assert.Null(DeploymentGuard.ClusterTlsProblem(new("Development", StorageConfigured: true), tlsEnabled: null, certificateConfigured: false));
    }

    [Fact]
    public void Tls_is_on_with_a_certificate_unless_turned_off_and_then_needs_both_files()
    {
        Assert.False(new ClusterTlsSettings().IsOn);
        Assert.True(new ClusterTlsSettings { CertificatePath = "host.crt" }.IsOn);
        Assert.False(new ClusterTlsSettings { CertificatePath = "host.crt", Enabled = false }.IsOn);

        var problems = new ClusterTlsSettings { Enabled = true }.Problems().ToList();

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Orleans:Tls:Enabled is true but Orleans:Tls:CertificatePath is not set", problems[0]);
        Assert.StartsWith("Orleans:Tls:CaCertificatePath is not set", problems[1]);
    }

    [Fact]
    public void A_peer_is_trusted_only_with_a_certificate_issued_by_the_cluster_CA()
    {
        using var cluster = new TestCertificates();
        using var stranger = new TestCertificates("Somebody else's CA");
        var own = ClusterCertificates.Load(Settings(cluster, "silo-1"));
        using var peer = X509CertificateLoader.LoadCertificateFromFile(cluster.IssueHost("silo-2").CertificatePath);
        using var intruder = X509CertificateLoader.LoadCertificateFromFile(stranger.IssueHost("silo-2").CertificatePath);
        using var strangerRoot = X509CertificateLoader.LoadCertificateFromFile(stranger.AuthorityPath);

        Assert.True(own.Local.HasPrivateKey);
        // The name does not matter (silos dial IP addresses); the issuer does, whatever the platform thinks of the chain.
        Assert.True(own.Trusts(peer, SslPolicyErrors.RemoteCertificateChainErrors | SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(own.Trusts(intruder, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(own.Trusts(strangerRoot, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(own.Trusts(peer, SslPolicyErrors.RemoteCertificateNotAvailable));
    }

    [Fact]
    public void A_certificate_without_its_key_is_refused_naming_the_setting()
    {
        using var cluster = new TestCertificates();
        var settings = Settings(cluster, "silo-1");
        settings.KeyPath = null;

        var refused = Assert.Throws<InvalidOperationException>(() => ClusterCertificates.Load(settings));

        Assert.StartsWith("Orleans:Tls:CertificatePath", refused.Message);
    }

    private static ClusterTlsSettings Settings(TestCertificates certificates, string host)
    {
        var (certificate, key) = certificates.IssueHost(host);
        return new ClusterTlsSettings { CertificatePath = certificate, KeyPath = key, CaCertificatePath = certificates.AuthorityPath };
    }
}
