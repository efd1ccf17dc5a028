using System.Text.Json;
using System.Xml.Linq;
using MailSync.Shared.Configuration;

namespace MailSync.UnitTests.Configuration;

public sealed class DeploymentGuardTests
{
    private const string OwnKey = "a-key-of-our-own-0123456789-abcdefghijklmnop";

    private static readonly DeploymentContext DevelopmentRun = new("Development", StorageConfigured: false);
    private static readonly DeploymentContext DevelopmentOnStorage = new("Development", StorageConfigured: true);
    private static readonly DeploymentContext Production = new("Production", StorageConfigured: true);
    private static readonly DeploymentContext ProductionOnMemory = new("Production", StorageConfigured: false);

    [Fact]
    public void The_plain_development_run_keeps_the_development_key_a_generated_secrets_key_and_memory()
    {
        Assert.Null(DeploymentGuard.SigningKeyProblem(DevelopmentRun, DeploymentGuard.DevelopmentSigningKey, authority: null));
        Assert.Null(DeploymentGuard.SecretKeysProblem(DevelopmentRun, configuredKeys: 0));
        Assert.Null(DeploymentGuard.StorageProblem(DevelopmentRun));
        Assert.Null(DeploymentGuard.StorageProblem(new DeploymentContext("development", StorageConfigured: false)));
    }

    [Fact]
    public void The_development_signing_key_is_refused_with_storage_configured_or_outside_Development()
    {
        foreach (var context in new[] { DevelopmentOnStorage, Production, ProductionOnMemory, new("Staging", false) })
        {
            var problem = DeploymentGuard.SigningKeyProblem(context, DeploymentGuard.DevelopmentSigningKey, authority: null);

            Assert.NotNull(problem);
            Assert.StartsWith("Auth:SigningKey is the development key of Api/appsettings.Development.json", problem);
            Assert.Contains(context.Why, problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_own_signing_key_or_an_authority_that_wins_over_the_development_key_is_accepted_everywhere()
    {
        foreach (var context in new[] { DevelopmentRun, DevelopmentOnStorage, Production, ProductionOnMemory })
        {
            Assert.Null(DeploymentGuard.SigningKeyProblem(context, OwnKey, authority: null));
            Assert.Null(DeploymentGuard.SigningKeyProblem(context, null, "https://login.example/"));
            Assert.Null(DeploymentGuard.SigningKeyProblem(context, DeploymentGuard.DevelopmentSigningKey, "https://login.example/"));
        }
    }

    [Fact]
    public void No_secrets_keys_is_refused_with_storage_configured_or_outside_Development_and_any_key_is_enough()
    {
        var inDevelopment = DeploymentGuard.SecretKeysProblem(DevelopmentOnStorage, configuredKeys: 0);
        var outside = DeploymentGuard.SecretKeysProblem(ProductionOnMemory, configuredKeys: 0);

        Assert.StartsWith("Secrets:Keys is empty, so credentials would be encrypted with a key generated for this process", inDevelopment);
        Assert.Contains("Storage:ConnectionString is set", inDevelopment, StringComparison.Ordinal);
        Assert.StartsWith("Secrets:Keys is empty, so there is no key", outside);
        Assert.Contains("the environment is 'Production'", outside, StringComparison.Ordinal);
        Assert.NotNull(DeploymentGuard.SecretKeysProblem(Production, configuredKeys: 0));
        foreach (var context in new[] { DevelopmentRun, DevelopmentOnStorage, Production, ProductionOnMemory })
            Assert.Null(DeploymentGuard.SecretKeysProblem(context, configuredKeys: 1));
    }

    [Fact]
    public void Memory_storage_is_refused_outside_Development_only()
    {
        var problem = DeploymentGuard.StorageProblem(ProductionOnMemory);

        Assert.StartsWith("Storage:ConnectionString is not set", problem);
        Assert.Contains("the environment is 'Production'", problem, StringComparison.Ordinal);
        Assert.NotNull(DeploymentGuard.StorageProblem(new DeploymentContext("Staging", StorageConfigured: false)));
        Assert.Null(DeploymentGuard.StorageProblem(Production));
        Assert.Null(DeploymentGuard.StorageProblem(DevelopmentOnStorage));
    }

    [Fact]
    public void The_guarded_key_is_the_one_in_the_Api_development_settings()
    {
        var file = Path.Combine(RepositoryRoot(), "Api", "appsettings.Development.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(file));

        Assert.Equal(DeploymentGuard.DevelopmentSigningKey, settings.RootElement.GetProperty("Auth").GetProperty("SigningKey").GetString());
    }

    [Fact]
    public void The_development_settings_are_never_published()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "Api", "Api.csproj"));

        var item = Assert.Single(project.Descendants("Content"), c => (string?)c.Attribute("Update") == "appsettings.Development.json");
        Assert.Equal("Never", (string?)item.Attribute("CopyToPublishDirectory"));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MailSync.Orleans.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No MailSync.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
