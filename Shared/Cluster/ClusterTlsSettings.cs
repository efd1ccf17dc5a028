namespace MailSync.Shared.Cluster;

/// <summary>
/// Configuration section <c>Orleans:Tls</c>: mutual TLS between silos and between API clients and silos. Every host
/// presents its own certificate (<see cref="CertificatePath"/>) and accepts a peer only if the peer's certificate chains
/// to the cluster's CA (<see cref="CaCertificatePath"/>), so only hosts holding a certificate of that CA can join or
/// call a grain. Required outside Development (see <c>DeploymentGuard.ClusterTlsProblem</c>).
/// </summary>
public sealed class ClusterTlsSettings
{
    /// <summary>
    /// Unset: TLS is on when a certificate is configured (and a certificate is required outside Development).
    /// <c>false</c> turns it off explicitly, e.g. where a service mesh already authenticates and encrypts between hosts.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// This host's certificate: a PEM file (key in <see cref="KeyPath"/>
    /// or in the same file) or a PKCS#12 (.pfx/.p12) file.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PEM private key of <see cref="CertificatePath"/>, when it is not in the certificate file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The password of a PKCS#12 certificate file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The PEM certificate of the CA that issues the cluster's host certificates: the only root peers are trusted by.</summary>
    public string? CaCertificatePath { get; set; }

    public bool CertificateConfigured => !string.IsNullOrEmpty(CertificatePath);

    /// <summary>Whether hosts built with these settings speak TLS.</summary>
    public bool IsOn => Enabled ?? CertificateConfigured;

    /// <summary>
    /// What is missing for TLS that is on (checked at start, with the files' contents, so a refusal names the setting
    /// instead of failing the first connection).
    /// </summary>
    public IEnumerable<string> Problems()
    {
        if (!IsOn) yield break;
        if (!CertificateConfigured)
            yield return "Orleans:Tls:Enabled is true but Orleans:Tls:CertificatePath is not set: "
                + "each silo and API host needs a certificate of its own.";
        else if (!File.Exists(CertificatePath))
            yield return $"Orleans:Tls:CertificatePath '{CertificatePath}' does not exist.";
        if (!string.IsNullOrEmpty(KeyPath) && !File.Exists(KeyPath))
            yield return $"Orleans:Tls:KeyPath '{KeyPath}' does not exist.";
        if (string.IsNullOrEmpty(CaCertificatePath))
            yield return "Orleans:Tls:CaCertificatePath is not set: "
                + "peers are trusted only when their certificate chains to the cluster's CA.";
        else if (!File.Exists(CaCertificatePath))
            yield return $"Orleans:Tls:CaCertificatePath '{CaCertificatePath}' does not exist.";
    }
}
