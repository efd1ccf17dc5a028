namespace MailSync.Shared.Configuration;

/// <summary>
/// Development conveniences that must never reach a real deployment: the repository's signing key, a secrets key
/// generated for one process, in-memory storage. A deployment is real when <c>Storage:ConnectionString</c> is set or the
/// environment is not Development; there each of them stops the host at start with a message naming the setting. The
/// plain development run (Development, nothing configured) keeps all three.
/// </summary>
public static class DeploymentGuard
{
    /// <summary>The signing key of <c>Api/appsettings.Development.json</c>: public, it is in the repository.</summary>
    public const string DevelopmentSigningKey = "development-only-signing-key-not-for-production-0123456789";

    /// <summary>
    /// The development signing key is refused where it would be used (no <c>Auth:Authority</c>, which wins over the key)
    /// in a real deployment; null when there is nothing to refuse.
    /// </summary>
    public static string? SigningKeyProblem(DeploymentContext context, string? signingKey, string? authority) =>
        context.IsRealDeployment && string.IsNullOrEmpty(authority)
        && string.Equals(signingKey, DevelopmentSigningKey, StringComparison.Ordinal)
            ? "Auth:SigningKey is the development key of Api/appsettings.Development.json, which is public: anyone could sign tokens "
              + $"with it. Configure a key of your own (Auth:SigningKey, at least 32 bytes) or Auth:Authority; {context.Why}."
            : null;

    /// <summary>
    /// Without <c>Secrets:Keys</c> a Development process encrypts credentials with a key of its own, which no other host can
    /// read and a restart loses (and outside Development there is no key at all): refused in a real deployment.
    /// </summary>
    public static string? SecretKeysProblem(DeploymentContext context, int configuredKeys)
    {
        if (!context.IsRealDeployment || configuredKeys > 0) return null;
        var consequence = context.IsDevelopment
            ? "credentials would be encrypted with a key generated for this process alone, which no other host can read and a restart loses"
            : "there is no key to encrypt mailbox passwords and refresh tokens with (a generated key is for the development run only)";
        return $"Secrets:Keys is empty, so {consequence}. Configure Secrets:Keys:<id>, a base64 32-byte key, the same on every silo "
            + $"and API host; {context.Why}.";
    }

    /// <summary>In-memory storage (and localhost clustering) is refused outside Development.</summary>
    public static string? StorageProblem(DeploymentContext context) =>
        !context.IsDevelopment && !context.StorageConfigured
            ? "Storage:ConnectionString is not set, so this host would run the development cluster: localhost clustering, and grain "
              + "state, reminders, leads and timelines in memory, lost when it stops. Set Storage:ConnectionString (Azure Table storage); "
              + $"{context.Why}."
            : null;

    /// <summary>
    /// The flags that let the service reach what users must never make it reach (the cluster's own network, any port,
    /// webhooks in plain http) are for the development run and the test suite: refused outside Development, whatever
    /// storage is configured (a developer on Azurite still talks to servers on 127.0.0.1). <paramref name="set"/> names the
    /// flags that are on.
    /// </summary>
    public static string? DevelopmentFlagsProblem(DeploymentContext context, IReadOnlyCollection<string> set) =>
        !context.IsDevelopment && set.Count > 0
            ? $"{string.Join(", ", set)} {(set.Count == 1 ? "is" : "are")} on, which lets users point this service at the cluster's "
              + "own network, at any port, or at plain-http webhooks: a setting for development and tests only. Turn "
              + $"{(set.Count == 1 ? "it" : "them")} off; {context.Why}."
            : null;

    /// <summary>
    /// With the HS256 key (no <c>Auth:Authority</c>) outside Development, the operator's scope alone is not enough: a rule
    /// of <c>Auth:Operator</c> (a claim or client ids) must be configured, so that a token minted for a user with too many
    /// scopes is still not the operator.
    /// </summary>
    public static string? SigningKeyOperatorProblem(DeploymentContext context, bool hs256, bool operatorRuleConfigured) =>
        !context.IsDevelopment && hs256 && !operatorRuleConfigured
            ? "Auth:SigningKey is set without Auth:Operator, so any token of the key with the operator's scope would act as the "
              + "operator over every company. Set Auth:Operator:ClaimType and Auth:Operator:ClaimValue (e.g. roles / "
              + $"MailSync.Operator), or Auth:Operator:ClientIds:<n>, that the operator's tokens carry; {context.Why}."
            : null;

    /// <summary>
    /// Outside Development cluster traffic is mutual TLS unless turned off explicitly: without it the API sends passwords
    /// and refresh tokens to silos in plain text, and anyone who reaches a gateway port can call any grain.
    /// </summary>
    public static string? ClusterTlsProblem(DeploymentContext context, bool? tlsEnabled, bool certificateConfigured) =>
        !context.IsDevelopment && tlsEnabled is null && !certificateConfigured
            ? "Orleans:Tls:CertificatePath is not set, so cluster traffic (mailbox passwords and refresh tokens inside grain calls) would "
              + "travel in plain text and anyone reaching a silo or gateway port could call any grain. "
              + "Configure Orleans:Tls:CertificatePath and Orleans:Tls:CaCertificatePath on every silo and API host, "
              + $"or set Orleans:Tls:Enabled=false where a service mesh already authenticates and encrypts between hosts; {context.Why}."
            : null;
}

/// <summary>What decides whether a deployment is real: the host's environment and whether storage is configured.</summary>
public sealed record DeploymentContext(string EnvironmentName, bool StorageConfigured)
{
    /// <summary>Development as <c>IHostEnvironment.IsDevelopment</c> sees it (case-insensitive).</summary>
    public bool IsDevelopment => string.Equals(EnvironmentName, "Development", StringComparison.OrdinalIgnoreCase);

    public bool IsRealDeployment => StorageConfigured || !IsDevelopment;

    /// <summary>Why the development conveniences are off, for the messages.</summary>
    public string Why => IsDevelopment
        ? "development settings are refused when Storage:ConnectionString is set (a real deployment), even in Development"
        : $"development settings are refused outside Development (the environment is '{EnvironmentName}')";
}
