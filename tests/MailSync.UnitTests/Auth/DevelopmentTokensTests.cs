using MailSync.Api.Auth;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.IdentityModel.JsonWebTokens;

namespace MailSync.UnitTests.Auth;

public sealed class DevelopmentTokensTests
{
    private const string OwnKey = "a-key-of-our-own-0123456789-abcdefghijklmnop";

    private static (int Exit, string Output, string Error) Run(string environment, string signingKey, string? storage, params string[] args) =>
        RunWithUrls(environment, signingKey, storage, null, args);

    private static (int Exit, string Output, string Error) RunWithUrls(string environment, string signingKey, string? storage, string? urls, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = signingKey,
            ["Storage:ConnectionString"] = storage,
            ["urls"] = urls,
        }).Build();
        var output = new StringWriter();
        var error = new StringWriter();
        var host = new HostingEnvironment { EnvironmentName = environment };
        var exit = DevelopmentTokens.Run(["token", .. args], configuration, host, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void The_development_run_prints_a_token_with_the_development_key_valid_12_hours_by_default_and_up_to_24()
    {
        var (exit, output, error) = Run("Development", DeploymentGuard.DevelopmentSigningKey, null, "--operator");
        var (exit24, output24, _) = Run("Development", DeploymentGuard.DevelopmentSigningKey, null, "--operator", "--hours", "24");

        Assert.Equal((0, ""), (exit, error));
        Assert.InRange(new JsonWebToken(output.Trim()).ValidTo - DateTime.UtcNow, TimeSpan.FromHours(11.9), TimeSpan.FromHours(12));
        Assert.Equal(0, exit24);
        Assert.InRange(new JsonWebToken(output24.Trim()).ValidTo - DateTime.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
    }

    [Theory]
    [InlineData("25", "token: --hours 25 is refused: development tokens live at most 24 hours (default 12).")]
    [InlineData("24.5", "token: --hours 24.5 is refused: development tokens live at most 24 hours (default 12).")]
    [InlineData("0", "token: --hours must be a number of hours above 0 and at most 24, not '0'.")]
    [InlineData("NaN", "token: --hours must be a number of hours above 0 and at most 24, not 'NaN'.")]
    [InlineData("a week", "token: --hours must be a number of hours above 0 and at most 24, not 'a week'.")]
    public void Lifetimes_over_24_hours_or_not_a_positive_number_are_refused_with_exit_code_2(string hours, string message)
    {
        var (exit, output, error) = Run("Development", DeploymentGuard.DevelopmentSigningKey, null, "--operator", "--hours", hours);

        Assert.Equal((2, "", message), (exit, output, error.Trim()));
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Staging", "UseDevelopmentStorage=true")]
    [InlineData("Development", "UseDevelopmentStorage=true")]
    public void The_development_key_is_refused_outside_Development_or_with_storage_configured(string environment, string? storage)
    {
        var (exit, output, error) = Run(
            environment, DeploymentGuard.DevelopmentSigningKey, storage, "--company", "acme", "--user", "ann", "--role", "Administrator");

        Assert.Equal((2, ""), (exit, output));
        Assert.StartsWith("token: refused. Auth:SigningKey is the development key of Api/appsettings.Development.json", error);
    }

    [Fact]
    public void An_own_key_prints_tokens_in_any_environment()
    {
        var (exit, output, error) = Run("Production", OwnKey, "UseDevelopmentStorage=true", "--operator", "--hours", "1");

        Assert.Equal((0, ""), (exit, error));
        Assert.Equal("mailsync.operator", new JsonWebToken(output.Trim()).GetClaim("scope").Value);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:5080")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    [InlineData("https://localhost:7443;http://localhost:5000", "https://localhost:7443")]
    [InlineData("http://*:8080", "http://127.0.0.1:8080")]
    [InlineData("http://0.0.0.0:8080/", "http://127.0.0.1:8080")]
    public void Link_prints_the_settings_page_with_the_token_in_the_fragment_on_the_configured_address(string? urls, string baseUrl)
    {
        var (exit, output, error) = RunWithUrls(
            "Development", DeploymentGuard.DevelopmentSigningKey, null, urls, "--company", "acme", "--user", "ann", "--role", "Administrator", "--link");

        Assert.Equal((0, ""), (exit, error));
        var link = output.Trim();
        Assert.StartsWith($"{baseUrl}/settings/mail-sync#token=", link);
        Assert.DoesNotContain("?", link);
        var token = new JsonWebToken(link[(link.IndexOf("#token=", StringComparison.Ordinal) + 7)..]);
        Assert.Equal(("acme", "ann", "Administrator"), (token.GetClaim("company").Value, token.Subject, token.GetClaim("role").Value));
    }

    [Fact]
    public void Link_is_refused_for_the_operator_who_has_no_mailbox_page()
    {
        var (exit, output, error) = Run("Development", DeploymentGuard.DevelopmentSigningKey, null, "--operator", "--link");

        Assert.Equal((2, ""), (exit, output));
        Assert.StartsWith("token: --link needs --company, --user and --role", error);
    }
}
