using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Webhooks;

/// <summary>
/// The webhook and change-feed endpoints on the real API (Kestrel, co-hosted silo): the operator manages subscriptions,
/// the secret is never returned nor logged, bad input is a 400 naming the field and changes nothing, the bounds hold,
/// and a connect's status changes reach a loopback receiver signed, in order, and appear in the change feed.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookApiTests(ApiFixture api)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static object Body(string url, string? secret, params string[] events) =>
        new { url, events = events.Length == 0 ? ["mailbox.status_changed"] : events, secret };

    private static async Task AssertProblem(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Json(response);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"400 names '{field}': {problem}");
    }

    [Fact]
    public async Task The_operator_creates_reads_updates_and_deletes_a_subscription_whose_secret_is_never_returned_or_logged()
    {
        var op = ApiFixture.OperatorToken();
        var company = await api.NewCompanyAsync();
        var secret = WebhookReceiver.NewSecret();
        var path = $"/v1/companies/{company}/webhooks/crm";

        var created = await api.SendAsync(HttpMethod.Put, path, op, Body("https://crm.example.com/hooks", secret, "mailbox.status_changed", "mailbox.error"));
        var updated = await api.SendAsync(HttpMethod.Put, path, op, Body("https://crm.example.com/hooks/v2", null)); // secret kept
        var read = await api.SendAsync(HttpMethod.Get, path, op);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = await read.Content.ReadAsStringAsync();
        var view = JsonDocument.Parse(body).RootElement;
        Assert.Equal("https://crm.example.com/hooks/v2", view.GetProperty("url").GetString());
        Assert.Equal(["mailbox.status_changed"], view.GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("active", view.GetProperty("status").GetString());
        Assert.False(view.TryGetProperty("secret", out _));
        Assert.DoesNotContain(secret[6..], body + await created.Content.ReadAsStringAsync());
        Assert.DoesNotContain(api.Logs, line => line.Contains(secret[6..], StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, path + "/deliveries", op)).StatusCode);
        var list = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/webhooks", op));
        Assert.Equal(["crm"], list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, path, op)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, path, op)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, path + "/deliveries", op)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, path, op)).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_a_400_naming_the_field_and_creates_nothing()
    {
        var op = ApiFixture.OperatorToken();
        var company = await api.NewCompanyAsync();
        var path = $"/v1/companies/{company}/webhooks/crm";
        var secret = WebhookReceiver.NewSecret();

        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, null), "body");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, new { events = new[] { "mailbox.error" }, secret }), "url");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, Body("ftp://crm.example.com/hooks", secret)), "url");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, Body("https://user:pw@crm.example.com/hooks", secret)), "url");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, new { url = "https://crm.example.com/hooks", events = Array.Empty<string>(), secret }), "events");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, Body("https://crm.example.com/hooks", secret, "mailbox.deleted")), "events");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, Body("https://crm.example.com/hooks", secret, "mailbox.error", "mailbox.error")), "events");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, Body("https://crm.example.com/hooks", "not-a-secret")), "secret");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, Body("https://crm.example.com/hooks", null)), "secret"); // required on creation
        await AssertProblem(await api.SendAsync(HttpMethod.Put, path, op, "{\"url\": 5}"), "url");
        await AssertProblem(await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/webhooks/bad%20id", op, Body("https://crm.example.com/hooks", secret)), "webhookId");
        await AssertProblem(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/changes?since=abc", op), "since");
        await AssertProblem(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/changes?limit=0", op), "limit");
        await AssertProblem(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/webhooks/crm/deliveries?limit=101", op), "limit");

        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, path, op)).StatusCode);
    }

    [Fact]
    public async Task Urls_of_1024_characters_and_10_subscriptions_are_allowed_and_one_more_of_either_is_not()
    {
        var op = ApiFixture.OperatorToken();
        var company = await api.NewCompanyAsync();
        var secret = WebhookReceiver.NewSecret();
        const string prefix = "https://crm.example.com/";

        var longest = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/webhooks/h0", op, Body(prefix + new string('a', 1024 - prefix.Length), secret));
        await AssertProblem(await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/webhooks/h0", op, Body(prefix + new string('a', 1025 - prefix.Length), secret)), "url");
        for (var i = 1; i < 10; i++)
            Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/webhooks/h{i}", op, Body(prefix + i, secret))).StatusCode);
        var eleventh = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/webhooks/h10", op, Body(prefix + "10", secret));
        var updateOfTenth = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/webhooks/h9", op, Body(prefix + "9b", null));

        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        await AssertProblem(eleventh, "id");
        Assert.Equal(HttpStatusCode.OK, updateOfTenth.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/webhooks/h10", op)).StatusCode);
    }

    [Fact]
    public async Task Only_the_operator_manages_webhooks_and_other_tenants_see_nothing()
    {
        var company = await api.NewCompanyAsync();
        var other = await api.NewCompanyAsync();
        var body = Body("https://crm.example.com/hooks", WebhookReceiver.NewSecret());

        var byAdmin = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/webhooks/crm", ApiFixture.Token(company, "ann", "Administrator"), body);
        var byOtherTenant = await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/changes", ApiFixture.Token(other, "bob", "Administrator"));
        var bySalesperson = await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/changes", ApiFixture.Token(company, "sue", "Salesperson"));
        var anonymous = await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/webhooks/crm", null);

        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, byOtherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, bySalesperson.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task A_connect_reaches_the_receiver_signed_and_in_order_is_listed_in_deliveries_and_in_the_change_feed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var op = ApiFixture.OperatorToken();
        var company = await api.NewCompanyAsync();
        var admin = ApiFixture.Token(company, "admin", "Administrator");
        var put = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/webhooks/crm", op,
            Body(receiver.Url, receiver.Secret, "mailbox.status_changed", "mailbox.error"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);

        // A server nobody listens on: Pending, Enabled, then Error with ConnectionRefused.
        var connect = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/ann/mailbox", ApiFixture.Token(company, "ann", "Salesperson"), ConnectBodies.Custom("ann"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, connect.StatusCode);

        await Poll.UntilAsync(() => Task.FromResult(receiver.Accepted.Count), n => n >= 4, Deadline, "three status changes and an error");
        var changes = receiver.Accepted.Where(d => d.Type == "mailbox.status_changed")
            .Select(d => (d.Data.GetProperty("oldStatus").GetString(), d.Data.GetProperty("newStatus").GetString())).ToList();
        Assert.Equal([("NotConfigured", "Pending"), ("Pending", "Enabled"), ("Enabled", "Error")], changes.Take(3));
        Assert.All(receiver.Requests, d => Assert.True(d.SignatureVerified));
        var error = receiver.Accepted.First(d => d.Type == "mailbox.error");
        Assert.Equal("ConnectionRefused", error.Data.GetProperty("error").GetProperty("code").GetString());

        var deliveries = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/webhooks/crm/deliveries?limit=10", op));
        Assert.Equal(receiver.Accepted[^1].Id, deliveries.GetProperty("items")[0].GetProperty("eventId").GetString()); // newest first
        Assert.All(deliveries.GetProperty("items").EnumerateArray(), a => Assert.Equal(200, a.GetProperty("statusCode").GetInt32()));

        var feed = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/changes", admin));
        var items = feed.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(changes, items.Select(i => (i.GetProperty("oldStatus").GetString(), i.GetProperty("newStatus").GetString())));
        Assert.Equal("ConnectionRefused", items[2].GetProperty("lastErrorCode").GetString());
        var next = feed.GetProperty("next").GetString();
        Assert.Equal(items[^1].GetProperty("cursor").GetString(), next);
        var after = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/changes?since={next}", admin));
        Assert.Equal(0, after.GetProperty("items").GetArrayLength());
        Assert.Equal(next, after.GetProperty("next").GetString());
    }
}
