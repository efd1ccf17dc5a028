using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;

namespace MailSync.IntegrationTests.Api;

/// <summary>Every bad input is a 400 problem naming the field, and changes nothing.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiBadInputTests(ApiFixture api)
{
    private const string Connect = "/v1/companies/{c}/users/target/mailbox";

    private static string ConnectBody(string provider = "\"custom\"", string email = "\"t@acme.test\"", string password = "\"pw\"", string? imap = null) =>
        $$"""{"provider":{{provider}},"email":{{email}},"username":"t","password":{{password}}{{(imap is null ? "" : ",\"imap\":" + imap)}}}""";

    private const string GoodImap = """{"host":"127.0.0.1","port":993,"security":"ssl"}""";

    public static TheoryData<string, string, string, string?, string> Cases() => new()
    {
        // name, method, path, raw body, field named in the problem
        { "company name missing", "PUT", "/v1/companies/{c}", """{"mailboxSyncLimit":2}""", "name" },
        { "company limit negative", "PUT", "/v1/companies/{c}", """{"name":"A","mailboxSyncLimit":-1}""", "mailboxSyncLimit" },
        { "company limit too large", "PUT", "/v1/companies/{c}", """{"name":"A","mailboxSyncLimit":1000001}""", "mailboxSyncLimit" },
        { "company limit of the wrong type", "PUT", "/v1/companies/{c}", """{"name":"A","mailboxSyncLimit":"two"}""", "mailboxSyncLimit" },
        { "company body malformed", "PUT", "/v1/companies/{c}", """{"name":"A",""", "body" },
        { "company body missing", "PUT", "/v1/companies/{c}", null, "body" },
        { "company name too long", "PUT", "/v1/companies/{c}", $$"""{"name":"{{new string('a', 201)}}","mailboxSyncLimit":1}""", "name" },
        { "company id with forbidden characters", "PUT", "/v1/companies/bad%23id", """{"name":"A","mailboxSyncLimit":1}""", "companyId" },
        { "company id too long", "PUT", $"/v1/companies/{new string('c', 65)}", """{"name":"A","mailboxSyncLimit":1}""", "companyId" },
        { "user email invalid", "PUT", "/v1/companies/{c}/users/u1", """{"email":"not-an-address","role":"Salesperson"}""", "email" },
        { "user email with display name", "PUT", "/v1/companies/{c}/users/u1", """{"email":"Ann <ann@acme.test>","role":"Salesperson"}""", "email" },
        { "user role unknown", "PUT", "/v1/companies/{c}/users/u1", """{"email":"u1@acme.test","role":"Intern"}""", "role" },
        { "user id with a slash", "PUT", "/v1/companies/{c}/users/a%2Fb", """{"email":"u1@acme.test","role":"Salesperson"}""", "userId" },
        { "user id ending in a newline", "PUT", "/v1/companies/{c}/users/ann%0A", """{"email":"u1@acme.test","role":"Salesperson"}""", "userId" },
        { "lead email invalid", "PUT", "/v1/companies/{c}/leads/new-lead", """{"email":"lee@","name":"Lee"}""", "email" },
        { "lead name too long", "PUT", "/v1/companies/{c}/leads/new-lead", $$"""{"email":"new@lead.example","name":"{{new string('n', 201)}}"}""", "name" },
        { "bulk leads empty", "POST", "/v1/companies/{c}/leads", """{"items":[]}""", "items" },
        { "bulk lead id invalid", "POST", "/v1/companies/{c}/leads", """{"items":[{"leadId":"new lead","email":"new@lead.example"}]}""", "items[0].leadId" },
        { "bulk leads duplicated", "POST", "/v1/companies/{c}/leads", """{"items":[{"leadId":"new-lead","email":"a@lead.example"},{"leadId":"new-lead","email":"b@lead.example"}]}""", "items" },
        { "connect provider unknown", "POST", Connect, ConnectBody(provider: "\"exchange\"", imap: GoodImap), "provider" },
        { "connect email invalid", "POST", Connect, ConnectBody(email: "\"t at acme\"", imap: GoodImap), "email" },
        { "connect password missing", "POST", Connect, ConnectBody(password: "null", imap: GoodImap), "password" },
        { "connect imap missing", "POST", Connect, ConnectBody(), "imap" },
        { "connect host invalid", "POST", Connect, ConnectBody(imap: """{"host":"bad host!","port":993,"security":"ssl"}"""), "imap.host" },
        { "connect port out of range", "POST", Connect, ConnectBody(imap: """{"host":"127.0.0.1","port":70000,"security":"ssl"}"""), "imap.port" },
        { "connect port of the wrong type", "POST", Connect, ConnectBody(imap: """{"host":"127.0.0.1","port":"imap","security":"ssl"}"""), "imap.port" },
        { "connect security unknown", "POST", Connect, ConnectBody(imap: """{"host":"127.0.0.1","port":993,"security":"tls"}"""), "imap.security" },
        { "connect security none not allowed", "POST", Connect, ConnectBody(imap: """{"host":"127.0.0.1","port":143,"security":"none"}"""), "imap.security" },
        { "connect app password with imap", "POST", Connect, ConnectBody(provider: "\"google-app-password\"", imap: GoodImap), "imap" },
        { "errors limit zero", "GET", "/v1/companies/{c}/users/target/mailbox/errors?limit=0", null, "limit" },
        { "errors limit not a number", "GET", "/v1/companies/{c}/mail-sync/errors?limit=lots", null, "limit" },
        { "users limit zero", "GET", "/v1/companies/{c}/mail-sync/users?limit=0", null, "limit" },
        { "users limit too large", "GET", "/v1/companies/{c}/mail-sync/users?limit=501", null, "limit" },
        { "users status unknown", "GET", "/v1/companies/{c}/mail-sync/users?status=Bogus", null, "status" },
        { "users continuation forged", "GET", "/v1/companies/{c}/mail-sync/users?continuation=garbage", null, "continuation" },
        { "billing from missing", "GET", "/v1/companies/{c}/billing?to=2026-11-02T00:00:00Z", null, "from" },
        { "billing to before from", "GET", "/v1/companies/{c}/billing?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", null, "to" },
        { "company other mail accounts unknown", "PUT", "/v1/companies/{c}", """{"name":"Acme","mailboxSyncLimit":2,"otherMailAccounts":"maybe"}""", "otherMailAccounts" },
        { "authorize account not an address", "GET", "/v1/companies/{c}/users/target/mailbox/google/authorize?account=not-an-address", null, "account" },
        { "billing from older than kept", "GET", "/v1/companies/{c}/billing?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z", null, "from" },
        { "billing period over a year", "GET", "/v1/companies/{c}/billing?from=2026-11-01T00:00:00Z&to=2028-01-01T00:00:00Z", null, "to" },
        { "billing from not an instant", "GET", "/v1/companies/{c}/billing?from=yesterday&to=2026-11-01T00:00:00Z", null, "from" },
        { "timeline continuation forged", "GET", "/v1/companies/{c}/leads/lee/emails?continuation=abc", null, "continuation" },
        { "timeline limit too large", "GET", "/v1/companies/{c}/leads/lee/emails?limit=501", null, "limit" },
        { "never-log value not an address or domain", "POST", "/v1/companies/{c}/never-log", """{"value":"not an address"}""", "value" },
        { "never-log value missing", "POST", "/v1/companies/{c}/never-log", "{}", "value" },
        { "never-log value too long", "POST", "/v1/companies/{c}/never-log", $$"""{"value":"{{new string('a', 250)}}@x.example"}""", "value" },
        { "user never-log value at an IP address", "POST", "/v1/companies/{c}/users/target/never-log", """{"value":"ann@127.0.0.1"}""", "value" },
        { "internal domain is an address", "PUT", "/v1/companies/{c}/internal-mail", """{"domains":["ann@acme.test"],"logInternalEmails":false}""", "domains[0]" },
        { "internal domains too many", "PUT", "/v1/companies/{c}/internal-mail", $$"""{"domains":[{{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"d{i}.example\""))}}],"logInternalEmails":false}""", "domains" },
        { "internal logInternalEmails missing", "PUT", "/v1/companies/{c}/internal-mail", """{"domains":["acme.test"]}""", "logInternalEmails" },
        { "disconnect keepHistory not a boolean", "DELETE", Connect + "?keepHistory=maybe", null, "keepHistory" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_input_is_a_400_naming_the_field_and_changes_nothing(string name, string method, string path, string? body, string field)
    {
        var company = await SeededCompanyAsync();
        var before = await SnapshotAsync(company);

        var response = await api.SendAsync(new HttpMethod(method), path.Replace("{c}", company), ApiFixture.OperatorToken(), body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{name}: {problem}");
        Assert.Equal(before, await SnapshotAsync(company));
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_refused_with_413_and_changes_nothing()
    {
        var company = await SeededCompanyAsync();
        var before = await SnapshotAsync(company);

        var response = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/new-lead", ApiFixture.OperatorToken(),
            $$"""{"email":"new@lead.example","name":"{{new string('x', 70 * 1024)}}"}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await SnapshotAsync(company));
    }

    [Fact]
    public async Task A_lead_at_an_address_that_already_has_400_leads_is_refused_naming_its_item_and_changes_nothing()
    {
        var company = await SeededCompanyAsync();
        var op = ApiFixture.OperatorToken();
        var shared = Enumerable.Range(0, 400).Select(i => new { leadId = $"shared-{i}", email = "shared@lead.example" });
        (await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/leads", op, new { items = shared })).EnsureSuccessStatusCode();
        var before = await SnapshotAsync(company);

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/leads", op, new
        {
            items = new[] { new { leadId = "a", email = "a@lead.example" }, new { leadId = "b", email = "Shared@lead.example" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("items[1].email", out _), errors.ToString());
        Assert.False(errors.TryGetProperty("items[0].email", out _), errors.ToString());
        Assert.Equal(before, await SnapshotAsync(company));
    }

    /// <summary>A company with limit 2, a lead "lee", and a connected mailbox "target".</summary>
    private async Task<string> SeededCompanyAsync()
    {
        var company = await api.NewCompanyAsync(limit: 2);
        var op = ApiFixture.OperatorToken();
        (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/lee", op, new { email = "lee@lead.example", name = "Lee" })).EnsureSuccessStatusCode();
        (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/users/target", op, new { email = "t@acme.test", role = "Salesperson" })).EnsureSuccessStatusCode();
        (await api.SendAsync(HttpMethod.Post, Connect.Replace("{c}", company), op, ConnectBodies.Custom("t"))).EnsureSuccessStatusCode();
        return company;
    }

    /// <summary>
    /// What a bad request could have changed: limit, seats, users, the target mailbox's settings, the leads, the never-log
    /// lists and the internal-mail rule.
    /// </summary>
    private async Task<string> SnapshotAsync(string company)
    {
        var op = ApiFixture.OperatorToken();
        var overview = await (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync", op)).Content.ReadFromJsonAsync<JsonElement>();
        var users = overview.GetProperty("users").EnumerateArray()
            .Select(u => $"{u.GetProperty("userId")}:{u.GetProperty("email")}:{u.GetProperty("provider")}:{u.GetProperty("billable")}");
        var leads = await Task.WhenAll(new[] { "lee", "new-lead", "a", "b" }.Select(async lead =>
            $"{lead}:{(int)(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/leads/{lead}/emails", op)).StatusCode}"));
        var lists = await Task.WhenAll(new[] { "never-log", "users/target/never-log", "internal-mail" }.Select(async path =>
            await (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/{path}", op)).Content.ReadAsStringAsync()));
        return string.Join("|", [overview.GetProperty("mailboxSyncLimit").ToString(), overview.GetProperty("seatsUsed").ToString(), .. users, .. leads, .. lists]);
    }
}
