using MailSync.Shared.Configuration;
using MailSync.Shared.Secrets;
using MailSync.Shared.Storage;
using MailSync.Shared.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailSync.Shared.Cluster;

/// <summary>
/// <see cref="DeploymentGuard"/> applied to a host: its rules run as options validation, at start with the others,
/// so a refused setting stops the host before it serves or joins a cluster.
/// </summary>
public static class DeploymentChecks
{
    /// <summary>The host's environment and whether <c>Storage:ConnectionString</c> is set, read without validation.</summary>
    public static DeploymentContext Context(IHostEnvironment environment, IConfiguration configuration)
    {
        var storage = configuration.GetSection(StorageSettings.Section).Get<StorageSettings>() ?? new StorageSettings();
        return new DeploymentContext(environment.EnvironmentName, storage.UsesAzureTables);
    }

    /// <summary>A validator result from the rules' answers (null: nothing to refuse).</summary>
    public static ValidateOptionsResult Result(params string?[] problems) =>
        problems.OfType<string>().ToList() is { Count: > 0 } refused ? ValidateOptionsResult.Fail(refused) : ValidateOptionsResult.Success;
}

/// <summary>
/// The development flags (private IMAP hosts, any IMAP port, plain-http webhooks) refused outside Development, on every
/// host: the API vets what users give as the silos do.
/// </summary>
internal sealed class DevelopmentFlagsGuard(IHostEnvironment environment, StorageSettings storage)
    : IValidateOptions<MailSyncOptions>, IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, MailSyncOptions options) => Refuse(
        (options.AllowPrivateImapHosts, "MailSync:AllowPrivateImapHosts"), (options.AllowAnyImapPort, "MailSync:AllowAnyImapPort"));

    public ValidateOptionsResult Validate(string? name, WebhookOptions options) => Refuse((options.AllowHttp, "Webhooks:AllowHttp"));

    private ValidateOptionsResult Refuse(params (bool On, string Name)[] flags) => DeploymentChecks.Result(
        DeploymentGuard.DevelopmentFlagsProblem(
            new DeploymentContext(environment.EnvironmentName, storage.UsesAzureTables), [.. flags.Where(f => f.On).Select(f => f.Name)]));
}

/// <summary>No per-process secrets key in a real deployment (every host that encrypts or decrypts credentials).</summary>
internal sealed class SecretKeysGuard(IHostEnvironment environment, StorageSettings storage) : IValidateOptions<SecretOptions>
{
    public ValidateOptionsResult Validate(string? name, SecretOptions options) => DeploymentChecks.Result(
        DeploymentGuard.SecretKeysProblem(new DeploymentContext(environment.EnvironmentName, storage.UsesAzureTables), options.Keys.Count));
}

/// <summary>No in-memory storage or localhost clustering outside Development (hosts built with <c>UseMailSyncCluster</c>).</summary>
internal sealed class StorageGuard(IHostEnvironment environment) : IValidateOptions<StorageSettings>
{
    public ValidateOptionsResult Validate(string? name, StorageSettings options) => DeploymentChecks.Result(
        DeploymentGuard.StorageProblem(new DeploymentContext(environment.EnvironmentName, options.UsesAzureTables)));
}

/// <summary>
/// Cluster TLS: required outside Development (<see cref="DeploymentGuard.ClusterTlsProblem"/>), and when on, both files present
/// and readable as certificates, so a refusal names the setting instead of the first connection failing.
/// </summary>
internal sealed class ClusterTlsGuard(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<ClusterSettings>
{
    public ValidateOptionsResult Validate(string? name, ClusterSettings options)
    {
        var tls = options.Tls;
        var context = DeploymentChecks.Context(environment, configuration);
        List<string> problems = [.. tls.Problems()];
        if (DeploymentGuard.ClusterTlsProblem(context, tls.Enabled, tls.CertificateConfigured) is { } required) problems.Add(required);
        if (problems.Count == 0 && tls.IsOn)
        {
            try
            {
                ClusterCertificates.Load(tls);
            }
            catch (InvalidOperationException e)
            {
                problems.Add(e.Message);
            }
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
