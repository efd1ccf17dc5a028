using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using MailSync.Api.Auth;
using MailSync.Shared.Configuration;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Foundation;

/// <summary>
/// The built hosts (<c>dotnet MailSync.Api.dll</c>, <c>dotnet MailSync.Silo.dll</c>, from their own output folders, with
/// only the environment variables given here) refuse development settings in a real deployment: exit code 1 and the
/// <see cref="DeploymentGuard"/> message on stderr, before they serve or join anything. The development run still starts.
/// </summary>
public sealed class StartupGuardTests
{
    private const string OwnSigningKey = "startup-guard-tests-signing-key-0123456789-abcdef";

    /// <summary>Azure Table storage at a closed port: the hosts must refuse before they ever connect to it.</summary>
    private static readonly string UnreachableStorage =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + $"TableEndpoint=http://127.0.0.1:{FreePort.Next()}/devstoreaccount1;";

    private static readonly DeploymentContext DevelopmentOnStorage = new("Development", StorageConfigured: true);

    [Fact]
    public async Task Api_in_Development_with_storage_set_refuses_the_development_signing_key_of_appsettings_Development_json()
    {
        var api = HostProcess.Dll("Api", "MailSync.Api.dll");
        var settingsFile = Path.Combine(Path.GetDirectoryName(api)!, "appsettings.Development.json");
        Assert.True(File.Exists(settingsFile), $"the key is read from {settingsFile}");

        var run = await HostProcess.RunAsync(api, HostProcess.ApiEnvironment("Development", new()
        {
            ["Storage__ConnectionString"] = UnreachableStorage,
            ["Secrets__Keys__guard"] = TestSecrets.Key,
        }));

        var problem = DeploymentGuard.SigningKeyProblem(DevelopmentOnStorage, DeploymentGuard.DevelopmentSigningKey, authority: null);
        AssertRefused(run, "MailSync API", problem);
        Assert.DoesNotContain("Secrets:Keys", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_in_Development_with_storage_set_refuses_a_secrets_key_generated_for_the_process()
    {
        var run = await HostProcess.RunAsync(HostProcess.Dll("Api", "MailSync.Api.dll"), HostProcess.ApiEnvironment("Development", new()
        {
            ["Storage__ConnectionString"] = UnreachableStorage,
            ["Auth__SigningKey"] = OwnSigningKey,
        }));

        AssertRefused(run, "MailSync API", DeploymentGuard.SecretKeysProblem(DevelopmentOnStorage, 0));
    }

    [Fact]
    public async Task Api_outside_Development_refuses_in_memory_storage()
    {
        var run = await HostProcess.RunAsync(HostProcess.Dll("Api", "MailSync.Api.dll"), HostProcess.ApiEnvironment("Production", new()
        {
            ["Auth__SigningKey"] = OwnSigningKey,
            ["Secrets__Keys__guard"] = TestSecrets.Key,
        }));

        AssertRefused(run, "MailSync API", DeploymentGuard.StorageProblem(new DeploymentContext("Production", StorageConfigured: false)));
    }

    [Fact]
    public async Task Silo_in_Development_with_storage_set_refuses_a_secrets_key_generated_for_the_process()
    {
        var run = await HostProcess.RunAsync(HostProcess.Dll("Silo", "MailSync.Silo.dll"), HostProcess.SiloEnvironment("Development", new()
        {
            ["Storage__ConnectionString"] = UnreachableStorage,
        }));

        AssertRefused(run, "MailSync silo", DeploymentGuard.SecretKeysProblem(DevelopmentOnStorage, 0));
    }

    [Fact]
    public async Task Silo_outside_Development_without_settings_refuses_in_memory_storage_and_the_missing_secrets_keys()
    {
        var run = await HostProcess.RunAsync(HostProcess.Dll("Silo", "MailSync.Silo.dll"), HostProcess.SiloEnvironment("Production", new()));

        var production = new DeploymentContext("Production", StorageConfigured: false);
        AssertRefused(run, "MailSync silo", DeploymentGuard.StorageProblem(production));
        Assert.Contains(DeploymentGuard.SecretKeysProblem(production, 0)!, run.Stderr, StringComparison.Ordinal);
        Assert.Contains(DeploymentGuard.ClusterTlsProblem(production, tlsEnabled: null, certificateConfigured: false)!, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hosts_outside_Development_refuse_the_development_flags_and_the_HS256_key_without_an_operator_rule()
    {
        Dictionary<string, string> Flags() => new()
        {
            ["Storage__ConnectionString"] = UnreachableStorage,
            ["Secrets__Keys__guard"] = TestSecrets.Key,
            ["Auth__SigningKey"] = OwnSigningKey,
            ["MailSync__AllowPrivateImapHosts"] = "true",
            ["MailSync__AllowAnyImapPort"] = "true",
            ["Webhooks__AllowHttp"] = "true",
        };

        var api = await HostProcess.RunAsync(HostProcess.Dll("Api", "MailSync.Api.dll"), HostProcess.ApiEnvironment("Production", Flags()));
        var silo = await HostProcess.RunAsync(HostProcess.Dll("Silo", "MailSync.Silo.dll"), HostProcess.SiloEnvironment("Staging", Flags()));

        var production = new DeploymentContext("Production", StorageConfigured: true);
        AssertRefused(api, "MailSync API",
            DeploymentGuard.DevelopmentFlagsProblem(production, ["MailSync:AllowPrivateImapHosts", "MailSync:AllowAnyImapPort"]));
        Assert.Contains(DeploymentGuard.DevelopmentFlagsProblem(production, ["Webhooks:AllowHttp"])!, api.Stderr, StringComparison.Ordinal);
        Assert.Contains(DeploymentGuard.SigningKeyOperatorProblem(production, hs256: true, operatorRuleConfigured: false)!, api.Stderr,
            StringComparison.Ordinal);
        var staging = new DeploymentContext("Staging", StorageConfigured: true);
        AssertRefused(silo, "MailSync silo",
            DeploymentGuard.DevelopmentFlagsProblem(staging, ["MailSync:AllowPrivateImapHosts", "MailSync:AllowAnyImapPort"]));
        Assert.Contains("Webhooks:AllowHttp is on", silo.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_refuses_cluster_TLS_certificate_files_that_are_missing_or_not_certificates_naming_the_setting()
    {
        using var certificates = new TestCertificates();
        var notACertificate = Path.Combine(Path.GetDirectoryName(certificates.AuthorityPath)!, "not-a-certificate.crt");
        await File.WriteAllTextAsync(notACertificate, "just text");
        var missing = Path.Combine(Path.GetDirectoryName(certificates.AuthorityPath)!, "missing.crt");

        var run = await HostProcess.RunAsync(HostProcess.Dll("Silo", "MailSync.Silo.dll"), HostProcess.SiloEnvironment("Development", new()
        {
            ["Orleans__Tls__CertificatePath"] = missing,
            ["Orleans__Tls__CaCertificatePath"] = certificates.AuthorityPath,
        }));
        var unreadable = await HostProcess.RunAsync(HostProcess.Dll("Silo", "MailSync.Silo.dll"), HostProcess.SiloEnvironment("Development", new()
        {
            ["Orleans__Tls__CertificatePath"] = notACertificate,
            ["Orleans__Tls__CaCertificatePath"] = certificates.AuthorityPath,
        }));

        AssertRefused(run, "MailSync silo", $"Orleans:Tls:CertificatePath '{missing}' does not exist.");
        AssertRefused(unreadable, "MailSync silo", "Orleans:Tls:CertificatePath could not be read as a certificate:");
    }

    [Fact]
    public async Task Token_command_refuses_the_development_key_outside_Development_with_exit_code_2()
    {
        var run = await HostProcess.RunAsync(HostProcess.Dll("Api", "MailSync.Api.dll"), HostProcess.ApiEnvironment("Production", new()
        {
            ["Auth__SigningKey"] = DeploymentGuard.DevelopmentSigningKey,
        }), "token", "--operator");

        var production = new DeploymentContext("Production", StorageConfigured: false);
        var problem = DeploymentGuard.SigningKeyProblem(production, DeploymentGuard.DevelopmentSigningKey, null);
        Assert.Equal((2, $"token: refused. {problem}"), (run.ExitCode, run.Stderr.Trim()));
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Token_command_refuses_lifetimes_over_24_hours_with_exit_code_2()
    {
        var run = await HostProcess.RunAsync(HostProcess.Dll("Api", "MailSync.Api.dll"), HostProcess.ApiEnvironment("Development", new()), "token", "--operator", "--hours", "48");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("token: --hours 48 is refused: development tokens live at most 24 hours (default 12).", run.Stderr.Trim());
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Api_in_Development_without_settings_still_starts_on_memory_with_the_development_key_and_a_generated_secrets_key()
    {
        var port = FreePort.Next();
        var start = HostProcess.Start(HostProcess.Dll("Api", "MailSync.Api.dll"), HostProcess.ApiEnvironment("Development", new(), port));
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // Times out (and fails) unless the development run becomes ready.
            await Poll.UntilAsync(async () => process.HasExited ? HttpStatusCode.Gone : await StatusAsync(http, "/health/ready"),
                status => status is HttpStatusCode.OK or HttpStatusCode.Gone, HostProcess.Deadline, "development API ready");
            if (process.HasExited) Assert.Fail($"The development run exited with code {process.ExitCode}: {await stderr}");

            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/companies/co-{Guid.NewGuid():N}/mail-sync");
            var developmentKey = new AuthOptions { SigningKey = DeploymentGuard.DevelopmentSigningKey };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                DevelopmentTokens.Create(developmentKey, null, null, null, isOperator: true, TimeSpan.FromHours(1)));
            var unknownCompany = await http.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotFound, unknownCompany.StatusCode); // the development key's token was accepted
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/metrics"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(http, "/openapi/v1.json"));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static void AssertRefused(HostProcess.Exited run, string host, string? problem)
    {
        Assert.NotNull(problem);
        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}; stderr: {run.Stderr}");
        Assert.StartsWith($"{host} refused to start:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"  {problem}", run.Stderr, StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, string path)
    {
        try
        {
            return (await http.GetAsync(path)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0; // not listening yet
        }
    }
}
