using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.Api.Auth;
using MailSync.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace MailSync.IntegrationTests.Api;

[Collection(ApiCollection.Name)]
public sealed class ApiAccessTests(ApiFixture api)
{
    private const string Operator = "operator";
    private static readonly string[] Roles = ["Administrator", "CompanyManager", "MarketingManager", "SalesManager", "Salesperson", "JrSalesperson"];
    private static readonly HashSet<string> Admins = ["Administrator", "CompanyManager", Operator];
    private static readonly HashSet<string> Everyone = [.. Roles, Operator];

    private static readonly object ConnectBody = ConnectBodies.Custom("me");

    /// <summary>(name, method, path with {c} company, {me} caller, body, who may).</summary>
    private static readonly (string Name, string Method, string Path, object? Body, HashSet<string> Allowed)[] Endpoints =
    [
        ("put company", "PUT", "/v1/companies/{c}", new { name = "Acme", mailboxSyncLimit = 3 }, [Operator]),
        ("overview", "GET", "/v1/companies/{c}/mail-sync", null, Admins),
        ("company users", "GET", "/v1/companies/{c}/mail-sync/users?limit=10&status=NotConfigured", null, Admins),
        ("company errors", "GET", "/v1/companies/{c}/mail-sync/errors", null, Admins),
        ("put user", "PUT", "/v1/companies/{c}/users/someone", new { email = "someone@acme.test", role = "Salesperson" }, Admins),
        ("billing", "GET", "/v1/companies/{c}/billing?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z", null, Admins),
        ("put lead", "PUT", "/v1/companies/{c}/leads/lee", new { email = "lee@lead.example", name = "Lee" }, Admins),
        ("bulk leads", "POST", "/v1/companies/{c}/leads", new { items = new[] { new { leadId = "lia", email = "lia@lead.example" } } }, Admins),
        ("delete lead", "DELETE", "/v1/companies/{c}/leads/base-lead", null, Admins),
        ("timeline", "GET", "/v1/companies/{c}/leads/base-lead/emails", null, Everyone),
        ("own mailbox", "GET", "/v1/companies/{c}/users/{me}/mailbox", null, Everyone),
        ("own errors", "GET", "/v1/companies/{c}/users/{me}/mailbox/errors", null, Everyone),
        ("connect own", "POST", "/v1/companies/{c}/users/{me}/mailbox", ConnectBody, Everyone),
        ("sync own", "POST", "/v1/companies/{c}/users/{me}/mailbox/sync", null, Everyone),
        ("disconnect own", "DELETE", "/v1/companies/{c}/users/{me}/mailbox", null, Everyone),
        ("someone else's mailbox", "GET", "/v1/companies/{c}/users/someone-else/mailbox", null, Admins),
        ("connect someone else", "POST", "/v1/companies/{c}/users/someone-else/mailbox", ConnectBody, Admins),
    ];

    public static TheoryData<string, string> Matrix()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in Endpoints)
            foreach (var role in Everyone)
                data.Add(endpoint.Name, role);
        return data;
    }

    private async Task<string> CompanyWithLeadAsync()
    {
        var company = await api.NewCompanyAsync();
        var lead = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/base-lead", ApiFixture.OperatorToken(), new { email = "base@lead.example" });
        lead.EnsureSuccessStatusCode();
        // Mailboxes connected on someone's behalf must belong to registered users (the operator has no mailbox of its own).
        foreach (var user in new[] { "someone-else", "me-operator" })
        {
            (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/users/{user}", ApiFixture.OperatorToken(),
                new { email = $"{user}@acme.test", role = "Salesperson" })).EnsureSuccessStatusCode();
        }
        return company;
    }

    private static string TokenFor(string role, string company, string user) =>
        role == Operator ? ApiFixture.OperatorToken() : ApiFixture.Token(company, user, role);

    private static (HttpMethod, string) Request((string Name, string Method, string Path, object? Body, HashSet<string> Allowed) e, string company, string me) =>
        (new HttpMethod(e.Method), e.Path.Replace("{c}", company).Replace("{me}", me));

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_may_do_exactly_what_the_design_allows(string endpointName, string role)
    {
        var endpoint = Endpoints.Single(e => e.Name == endpointName);
        var company = await CompanyWithLeadAsync();
        var me = $"me-{role.ToLowerInvariant()}";
        var (method, path) = Request(endpoint, company, me);

        var response = await api.SendAsync(method, path, TokenFor(role, company, me), endpoint.Body);

        if (endpoint.Allowed.Contains(role))
        {
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Conflict,
                $"{role} on {endpointName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Another_companys_token_gets_404_worded_exactly_like_a_company_that_does_not_exist()
    {
        var victim = await CompanyWithLeadAsync();
        var attacker = await api.NewCompanyAsync();
        var ghost = $"co-{Guid.NewGuid():N}";
        var token = ApiFixture.Token(attacker, "mallory", "Administrator");

        foreach (var endpoint in Endpoints.Where(e => e.Name != "put company"))
        {
            var (method, path) = Request(endpoint, victim, "mallory");
            var response = await api.SendAsync(method, path, token, endpoint.Body);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();

            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{endpoint.Name}: {(int)response.StatusCode}");
            Assert.Equal($"There is no company '{victim}'.", body.GetProperty("detail").GetString());

            var (ghostMethod, ghostPath) = Request(endpoint, ghost, "mallory");
            var ghostBody = await (await api.SendAsync(ghostMethod, ghostPath, ApiFixture.Token(ghost, "mallory", "Administrator"), endpoint.Body))
                .Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal($"There is no company '{ghost}'.", ghostBody.GetProperty("detail").GetString());
        }
        Assert.Equal(0, (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{victim}/mail-sync", ApiFixture.OperatorToken())
            .ContinueWith(t => t.Result.Content.ReadFromJsonAsync<JsonElement>()).Unwrap()).GetProperty("seatsUsed").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{victim}/leads/base-lead/emails", ApiFixture.OperatorToken())).StatusCode);
    }

    public static TheoryData<string> BadTokens() => ["missing", "garbage", "wrong key", "expired", "wrong audience", "wrong issuer", "alg none"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_missing_or_invalid_token_gets_401(string kind)
    {
        var company = await api.NewCompanyAsync();
        string? token = kind switch
        {
            "missing" => null,
            "garbage" => "not.a.jwt",
            "wrong key" => Sign(company, "x".PadRight(48, 'k')),
            "expired" => Sign(company, ApiFixture.SigningKey, expires: DateTime.UtcNow.AddMinutes(-10)),
            "wrong audience" => Sign(company, ApiFixture.SigningKey, audience: "someone-else"),
            "wrong issuer" => Sign(company, ApiFixture.SigningKey, issuer: "evil"),
            _ => new JsonWebTokenHandler().CreateToken(
                $$"""{"sub":"ann","company":"{{company}}","role":"Administrator","iss":"mailsync","aud":"mailsync-api","exp":{{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}}}"""),
        };

        var response = await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_connecting_for_a_user_who_is_not_registered_gets_404_and_no_seat_is_taken()
    {
        var company = await api.NewCompanyAsync(limit: 1);
        var admin = ApiFixture.Token(company, "boss", "Administrator");

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/typo-user/mailbox", admin, ConnectBody);
        var overview = await (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync", admin)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, overview.GetProperty("seatsUsed").GetInt32());
    }

    [Fact]
    public async Task A_role_that_is_not_one_of_the_six_gets_403_even_for_its_own_mailbox()
    {
        var company = await api.NewCompanyAsync();

        var response = await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/ann/mailbox", ApiFixture.Token(company, "ann", "Intern"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static string Sign(string company, string key, DateTime? expires = null, string audience = AuthOptions.Audience, string issuer = AuthOptions.Issuer) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = new Dictionary<string, object> { ["sub"] = "ann", ["company"] = company, ["role"] = "Administrator" },
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });
}
