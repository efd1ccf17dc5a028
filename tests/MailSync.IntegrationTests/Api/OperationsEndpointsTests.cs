using System.Net;
using System.Net.Http.Headers;
using MailSync.Api.Auth;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MailSync.IntegrationTests.Api;

/// <summary>
/// <c>/metrics</c> and <c>/openapi/v1.json</c> outside Development: only the operator's token or <c>Metrics:Key</c> (bearer or
/// <c>X-Metrics-Key</c>) reads them; without credentials 401 problem details, a company user's token 403.
/// </summary>
[Trait("Category", "Servers")]
public sealed class OperationsEndpointsTests(ProductionApi api) : IClassFixture<ProductionApi>
{
    public static TheoryData<string> Paths() => ["/metrics", "/openapi/v1.json"];

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Outside_Development_no_credentials_get_401_problem_details(string path)
    {
        var response = await api.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Outside_Development_the_operator_token_and_the_metrics_key_as_bearer_or_header_are_let_in(string path)
    {
        var asOperator = await api.GetAsync(path, bearer: api.OperatorToken());
        var keyAsBearer = await api.GetAsync(path, bearer: ProductionApi.MetricsKey);
        var keyInHeader = await api.GetAsync(path, metricsKey: ProductionApi.MetricsKey);

        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyAsBearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, keyInHeader.StatusCode);
        if (path == "/metrics") Assert.StartsWith("text/plain", keyInHeader.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Outside_Development_a_wrong_key_gets_401_and_a_company_users_token_gets_403(string path)
    {
        var wrongHeader = await api.GetAsync(path, metricsKey: ProductionApi.MetricsKey + "x");
        var wrongBearer = await api.GetAsync(path, bearer: ProductionApi.MetricsKey[..^1]);
        var companyAdmin = await api.GetAsync(path, bearer: api.Token("acme", "ann", MailSyncRoles.Administrator));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongHeader.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, companyAdmin.StatusCode);
        Assert.Equal("application/problem+json", companyAdmin.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_metrics_key_opens_nothing_else()
    {
        var asBearer = await api.GetAsync("/v1/companies/acme/mail-sync", bearer: ProductionApi.MetricsKey);
        var inHeader = await api.GetAsync("/v1/companies/acme/mail-sync", metricsKey: ProductionApi.MetricsKey);

        Assert.Equal(HttpStatusCode.Unauthorized, asBearer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, inHeader.StatusCode);
    }
}

/// <summary>In Development (the shared API of the tests) both stay open unless configured otherwise.</summary>
[Collection(ApiCollection.Name)]
public sealed class OperationsEndpointsInDevelopmentTests(ApiFixture api)
{
    [Fact]
    public async Task In_Development_metrics_and_the_OpenAPI_document_are_open_by_default()
    {
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task RequireAuthorization_settings_protect_them_in_Development_too()
    {
        var protectedApi = new ApiFixture
        {
            ExtraSettings = new Dictionary<string, string?>
            {
                ["Metrics:RequireAuthorization"] = "true",
                ["OpenApi:RequireAuthorization"] = "true",
                ["Metrics:Key"] = ProductionApi.MetricsKey,
            },
        };
        await protectedApi.InitializeAsync();
        try
        {
            foreach (var path in new[] { "/metrics", "/openapi/v1.json" })
            {
                var anonymous = await protectedApi.Http.GetAsync(path);
                using var withKey = new HttpRequestMessage(HttpMethod.Get, path);
                withKey.Headers.Add(MetricsKeyHandler.Header, ProductionApi.MetricsKey);
                var operatorResponse = await protectedApi.SendAsync(HttpMethod.Get, path, ApiFixture.OperatorToken());

                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
                Assert.Equal(HttpStatusCode.OK, (await protectedApi.Http.SendAsync(withKey)).StatusCode);
                Assert.Equal(HttpStatusCode.OK, operatorResponse.StatusCode);
            }
        }
        finally
        {
            await protectedApi.DisposeAsync();
        }
    }
}

/// <summary>
/// The API as deployed: environment Production, Azure Table storage (Azurite, a ServiceId of its own), its own signing key
/// and secrets key, a <c>Metrics:Key</c>; nothing about the operations endpoints configured, so the defaults apply.
/// </summary>
public sealed class ProductionApi : IAsyncLifetime
{
    public const string MetricsKey = "operations-tests-metrics-key-0123456789-abcdef";

    private const string SigningKey = "operations-tests-signing-key-0123456789-abcdef";

    private WebApplicationFactory<Program> factory = null!;

    public HttpClient Http { get; private set; } = null!;

    public Task InitializeAsync()
    {
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("Storage:ConnectionString", TestServices.Current.TablesConnectionString);
            web.UseSetting("Orleans:ServiceId", $"svc-{Guid.NewGuid():N}");
            web.UseSetting("Orleans:ClusterId", $"cl-{Guid.NewGuid():N}");
            web.UseSetting("Orleans:SiloPort", FreePort.Next().ToString());
            web.UseSetting("Orleans:GatewayPort", FreePort.Next().ToString());
            web.UseSetting("Auth:SigningKey", SigningKey);
            web.UseSetting("Auth:Operator:ClaimType", Auth.Operator.ClaimType);
            web.UseSetting("Auth:Operator:ClaimValue", Auth.Operator.ClaimValue);
            web.UseSetting($"Secrets:Keys:{TestSecrets.KeyId}", TestSecrets.Key);
            web.UseSetting("Metrics:Key", MetricsKey);
            foreach (var (name, value) in TestCertificates.Cluster.HostSettings("api")) web.UseSetting(name, value);
        });
        Http = factory.CreateClient();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await factory.DisposeAsync();
    }

    /// <summary>Outside Development the HS256 key needs an operator rule besides the scope.</summary>
    private static readonly AuthOptions Auth = new()
    {
        SigningKey = SigningKey, Operator = new OperatorOptions { ClaimType = "roles", ClaimValue = "MailSync.Operator" },
    };

    public string OperatorToken() => DevelopmentTokens.Create(Auth, null, null, null, isOperator: true, TimeSpan.FromHours(1));

    public string Token(string company, string user, string role) =>
        DevelopmentTokens.Create(Auth, company, user, role, isOperator: false, TimeSpan.FromHours(1));

    public Task<HttpResponseMessage> GetAsync(string path, string? bearer = null, string? metricsKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (metricsKey is not null) request.Headers.Add(MetricsKeyHandler.Header, metricsKey);
        return Http.SendAsync(request);
    }
}
