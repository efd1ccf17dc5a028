using System.Net;
using MailSync.Api.Auth;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MailSync.IntegrationTests.Api;

/// <summary>
/// An API of its own with the HS256 key and the operator rule of Auth:Operator configured, so the rule an OIDC authority
/// requires applies without one: the scope, the app role <see cref="Role"/> and a client id on the allow-list.
/// Operations endpoints are protected, so the policy of /metrics is checked too.
/// </summary>
public sealed class OperatorRuleApiFixture : IAsyncLifetime
{
    public const string Role = "MailSync.Operator";
    public const string OperatorClient = "6f1c2a9e-4b7d-4c3e-9f0a-1b2c3d4e5f60";
    public const string OtherClient = "99999999-8888-7777-6666-555555555555";

    public ApiFixture Api { get; } = new()
    {
        ExtraSettings = new Dictionary<string, string?>
        {
            ["Auth:Operator:ClaimType"] = "roles",
            ["Auth:Operator:ClaimValue"] = Role,
            ["Auth:Operator:ClientIds:0"] = OperatorClient,
            ["Metrics:RequireAuthorization"] = "true",
        },
    };

    public Task InitializeAsync() => Api.InitializeAsync();

    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>Operator rights: the operator needs more than the scope when Auth:Operator is configured (always with Auth:Authority).</summary>
public sealed class OperatorRightsTests(OperatorRuleApiFixture fixture) : IClassFixture<OperatorRuleApiFixture>
{
    private ApiFixture Api => fixture.Api;

    /// <summary>A token signed with the fixture's key carrying the operator scope and the given extra claims.</summary>
    private static string Token(params (string Type, object Value)[] claims)
    {
        var payload = new Dictionary<string, object> { ["sub"] = "operator-service", ["scope"] = MailSyncRoles.OperatorScope };
        foreach (var (type, value) in claims) payload[type] = value;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            Claims = payload,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(new AuthOptions { SigningKey = ApiFixture.SigningKey }.SigningKeyBytes), SecurityAlgorithms.HmacSha256),
        });
    }

    private Task<HttpResponseMessage> PutCompanyAsync(string company, string token) =>
        Api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}", token, new { name = "Acme", mailboxSyncLimit = 3 });

    private static string NewId() => $"co-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_token_with_only_the_operator_scope_is_forbidden_to_create_a_company()
    {
        var response = await PutCompanyAsync(NewId(), ApiFixture.OperatorToken());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Scope_role_and_an_allowed_azp_create_and_update_a_company()
    {
        var company = NewId();
        var token = Token(("roles", new[] { "Reader", OperatorRuleApiFixture.Role }), ("azp", OperatorRuleApiFixture.OperatorClient));

        var created = await PutCompanyAsync(company, token);
        var updated = await PutCompanyAsync(company, token);

        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"created: {created.StatusCode}");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
    }

    [Fact]
    public async Task An_allowed_appid_stands_in_for_azp_and_the_role_may_be_a_single_string()
    {
        var token = Token(("roles", OperatorRuleApiFixture.Role), ("appid", OperatorRuleApiFixture.OperatorClient));

        var response = await PutCompanyAsync(NewId(), token);

        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}");
    }

    [Fact]
    public async Task A_client_not_on_the_allow_list_or_a_token_without_the_role_is_forbidden()
    {
        var wrongClient = Token(("roles", new[] { OperatorRuleApiFixture.Role }), ("azp", OperatorRuleApiFixture.OtherClient));
        var noRole = Token(("roles", new[] { "Reader" }), ("azp", OperatorRuleApiFixture.OperatorClient));
        var noClient = Token(("roles", new[] { OperatorRuleApiFixture.Role }));

        Assert.Equal(HttpStatusCode.Forbidden, (await PutCompanyAsync(NewId(), wrongClient)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutCompanyAsync(NewId(), noRole)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutCompanyAsync(NewId(), noClient)).StatusCode);
    }

    [Fact]
    public async Task The_operations_endpoints_apply_the_same_rule()
    {
        var full = Token(("roles", new[] { OperatorRuleApiFixture.Role }), ("azp", OperatorRuleApiFixture.OperatorClient));

        Assert.Equal(HttpStatusCode.Forbidden, (await Api.SendAsync(HttpMethod.Get, "/metrics", ApiFixture.OperatorToken())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, "/metrics", full)).StatusCode);
    }

    [Fact]
    public async Task An_operator_created_company_is_open_to_its_admins_but_not_to_a_scope_only_token()
    {
        var company = NewId();
        var full = Token(("roles", new[] { OperatorRuleApiFixture.Role }), ("azp", OperatorRuleApiFixture.OperatorClient));
        (await PutCompanyAsync(company, full)).EnsureSuccessStatusCode();

        var admin = await Api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync", ApiFixture.Token(company, "boss", "Administrator"));
        var scopeOnly = await Api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync", ApiFixture.OperatorToken());

        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, scopeOnly.StatusCode);
    }
}

/// <summary>
/// Auth:Authority without Auth:Operator: the built API (<c>dotnet MailSync.Api.dll</c>, only the environment given here)
/// refuses to start with exit code 1 and a message naming the keys, before it serves or joins anything.
/// </summary>
public sealed class OperatorRightsStartupTests
{
    [Fact]
    public async Task An_authority_without_the_operator_rule_stops_the_API_at_start_naming_the_keys()
    {
        var run = await HostProcess.RunAsync(HostProcess.Dll("Api", "MailSync.Api.dll"), HostProcess.ApiEnvironment("Development", new()
        {
            ["Secrets__Keys__test-1"] = TestSecrets.Key,
            ["Auth__Authority"] = "https://login.example/tenant/v2.0",
        }));

        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}; stderr: {run.Stderr}");
        Assert.StartsWith("MailSync API refused to start:", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Set Auth:Operator:ClaimType, Auth:Operator:ClaimValue, Auth:Operator:ClientIds:<n>:", run.Stderr, StringComparison.Ordinal);
    }
}
