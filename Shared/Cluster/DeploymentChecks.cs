using MailSync.Shared.Configuration;
using MailSync.Shared.Secrets;
using MailSync.Shared.Storage;
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

    /// <summary>A validator result from one rule's answer (null: nothing to refuse).</summary>
    public static ValidateOptionsResult Result(string? problem) =>
        problem is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problem);
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
