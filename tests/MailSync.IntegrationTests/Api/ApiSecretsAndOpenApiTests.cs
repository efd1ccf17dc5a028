using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace MailSync.IntegrationTests.Api;

[Collection(ApiCollection.Name)]
public sealed class ApiSecretsAndOpenApiTests(ApiFixture api)
{
    [Fact]
    public async Task A_password_never_appears_in_any_response_problem_or_log_line()
    {
        const string password = "Canary-Pa55word-7f3e9";
        var company = await api.NewCompanyAsync();
        var admin = ApiFixture.Token(company, "ann", "Administrator");
        var bodies = new List<string>();
        async Task<HttpResponseMessage> Call(HttpMethod method, string path, object? body = null)
        {
            var response = await api.SendAsync(method, path, admin, body);
            bodies.Add(await response.Content.ReadAsStringAsync());
            return response;
        }
        var mailbox = $"/v1/companies/{company}/users/ann/mailbox";
        var port = FreePort.Next();

        await Call(HttpMethod.Post, mailbox, ConnectBodies.Custom("ann", password, port));
        await Call(HttpMethod.Post, mailbox, ConnectBodies.Custom("ann", password, port, email: "not valid"));
        await Call(HttpMethod.Post, mailbox, $$$"""{"provider":"custom","password":"{{{password}}}","imap":{"port":"{{{password}}}"}}""");
        await Poll.UntilAsync(async () => await (await Call(HttpMethod.Get, mailbox)).Content.ReadFromJsonAsync<JsonElement>(),
            m => m.GetProperty("status").GetString() == "Error", TimeSpan.FromSeconds(20), "attempt failed");
        await Call(HttpMethod.Get, mailbox + "/errors");
        await Call(HttpMethod.Get, $"/v1/companies/{company}/mail-sync");
        await Call(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/users?status=Error");
        await Call(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/errors");
        await Call(HttpMethod.Post, mailbox + "/sync");

        // The logs searched below hold this test's requests (not only lines from other tests), so the search means something.
        Assert.Contains(api.Logs, line => line.Contains(company, StringComparison.Ordinal));
        Assert.DoesNotContain(bodies, b => b.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(api.Logs, line => line.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_route_of_the_contract_with_bearer_auth()
    {
        var response = await api.Http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var read = await OpenApiDocument.LoadAsync(await response.Content.ReadAsStreamAsync(), "json", new OpenApiReaderSettings());
        var document = read.Document!;

        Assert.Empty(read.Diagnostic?.Errors ?? []);
        string[] contract =
        [
            "PUT /v1/companies/{companyId}",
            "GET /v1/companies/{companyId}/mail-sync",
            "GET /v1/companies/{companyId}/mail-sync/users",
            "GET /v1/companies/{companyId}/mail-sync/errors",
            "PUT /v1/companies/{companyId}/users/{userId}",
            "PUT /v1/companies/{companyId}/leads/{leadId}",
            "POST /v1/companies/{companyId}/leads",
            "DELETE /v1/companies/{companyId}/leads/{leadId}",
            "GET /v1/companies/{companyId}/leads/{leadId}/emails",
            "POST /v1/companies/{companyId}/users/{userId}/mailbox",
            "GET /v1/companies/{companyId}/users/{userId}/mailbox",
            "GET /v1/companies/{companyId}/users/{userId}/mailbox/errors",
            "POST /v1/companies/{companyId}/users/{userId}/mailbox/sync",
            "DELETE /v1/companies/{companyId}/users/{userId}/mailbox",
            "GET /v1/companies/{companyId}/billing",
        ];
        var described = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (Route: $"{o.Key.Method.ToUpperInvariant()} {p.Key}", Operation: o.Value))).ToList();
        foreach (var route in contract) Assert.Contains(route, described.Select(d => d.Route));
        // Google's and Microsoft's redirects reach their callbacks without a token: it says so (an empty list) rather than claim bearer auth.
        string[] callbacks = ["GET /v1/oauth/google/callback", "GET /v1/oauth/microsoft/callback"];
        Assert.All(described.Where(d => !callbacks.Contains(d.Route)), d => Assert.NotEmpty(d.Operation.Security!));
        Assert.All(described.Where(d => callbacks.Contains(d.Route)), d => Assert.Empty(d.Operation.Security!));
        Assert.Equal(SecuritySchemeType.Http, document.Components!.SecuritySchemes!["Bearer"].Type);
        Assert.NotNull(described.Single(d => d.Route == "POST /v1/companies/{companyId}/users/{userId}/mailbox").Operation.RequestBody);
    }
}
