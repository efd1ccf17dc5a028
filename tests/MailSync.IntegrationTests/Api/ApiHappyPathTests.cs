using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Api;

[Collection(ApiCollection.Name)]
public sealed class ApiHappyPathTests(ApiFixture api)
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Every_endpoint_answers_its_contract_from_company_creation_to_disconnect()
    {
        var op = ApiFixture.OperatorToken();
        var company = $"co-{Guid.NewGuid():N}";
        var admin = ApiFixture.Token(company, "ann", "Administrator");

        var created = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}", op, new { name = "Acme", mailboxSyncLimit = 1 });
        var updated = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}", op, new { name = "Acme Ltd", mailboxSyncLimit = 1 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("Acme Ltd", (await Json(updated)).GetProperty("name").GetString());

        var user = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/users/ann", admin, new { email = "ann@acme.test", role = "Administrator" });
        Assert.Equal(HttpStatusCode.Created, user.StatusCode);
        var lead = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/lee", admin, new { email = "lee@lead.example", name = "Lee" });
        Assert.Equal(HttpStatusCode.Created, lead.StatusCode);
        var bulk = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/leads", admin,
            new { items = new[] { new { leadId = "lia", email = "lia@lead.example", name = "Lia" }, new { leadId = "lee", email = "lee@lead.example", name = "Lee L." } } });
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Equal(2, (await Json(bulk)).GetProperty("items").GetArrayLength());

        var beforeConnect = DateTimeOffset.UtcNow;
        var connect = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/ann/mailbox", admin, ConnectBodies.Custom("ann", "pw-123"));
        Assert.Equal(HttpStatusCode.Accepted, connect.StatusCode);
        var connected = await Json(connect);
        Assert.Equal("custom", connected.GetProperty("provider").GetString());
        Assert.True(connected.GetProperty("billable").GetBoolean());

        var failing = await Poll.UntilAsync(
            async () => await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/ann/mailbox", admin)),
            m => m.GetProperty("status").GetString() == "Error", TimeSpan.FromSeconds(20), "mailbox in Error");
        Assert.Equal("red", failing.GetProperty("color").GetString());
        Assert.Equal("ConnectionRefused", failing.GetProperty("lastError").GetProperty("code").GetString());

        var errors = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/ann/mailbox/errors?limit=10", admin));
        Assert.Equal("ConnectionRefused", errors.GetProperty("items")[0].GetProperty("code").GetString());
        // The company-wide reads come from rows the mailbox writes right after each change: polled, not expected at once.
        var companyErrors = await Poll.UntilAsync(
            async () => await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/errors", admin)),
            e => e.GetProperty("items").GetArrayLength() > 0, TimeSpan.FromSeconds(20), "company error log");
        Assert.Equal("ann", companyErrors.GetProperty("items")[0].GetProperty("userId").GetString());
        Assert.Equal("ConnectionRefused", companyErrors.GetProperty("items")[0].GetProperty("code").GetString());

        var overview = await Poll.UntilAsync(
            async () => await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync", admin)),
            o => o.GetProperty("users").GetArrayLength() == 1 && o.GetProperty("users")[0].GetProperty("status").GetString() == "Error",
            TimeSpan.FromSeconds(20), "ann in Error in the overview");
        Assert.Equal(1, overview.GetProperty("mailboxSyncLimit").GetInt32());
        Assert.Equal(1, overview.GetProperty("seatsUsed").GetInt32());
        Assert.Equal(0, overview.GetProperty("pendingCount").GetInt32());
        Assert.Equal(0, overview.GetProperty("pending").GetArrayLength());
        Assert.Equal("ann", overview.GetProperty("users")[0].GetProperty("userId").GetString());
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("next").ValueKind);
        var users = await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/users?limit=1&status=Error", admin);
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        var erroring = await Json(users);
        Assert.Equal("ann", Assert.Single(erroring.GetProperty("items").EnumerateArray()).GetProperty("userId").GetString());
        Assert.Equal(JsonValueKind.Null, erroring.GetProperty("next").ValueKind);

        var sync = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/ann/mailbox/sync", admin);
        Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);

        var timeline = await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/leads/lee/emails?limit=10", admin);
        Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);
        Assert.Equal(0, (await Json(timeline)).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/leads/nobody/emails", admin)).StatusCode);

        var from = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var to = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var billingPath = $"/v1/companies/{company}/billing?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}";
        var billed = await Poll.UntilAsync(async () =>
        {
            var billing = await api.SendAsync(HttpMethod.Get, billingPath, op);
            Assert.Equal(HttpStatusCode.OK, billing.StatusCode);
            return await Json(billing);
        }, b => b.GetProperty("users").GetArrayLength() > 0, TimeSpan.FromSeconds(20), "ann's billing row");
        var afterBilling = DateTimeOffset.UtcNow;
        // Ann is billed (Enabled, then Error) from her connect until the billing request: whole seconds, at most the time
        // that passed between just before the connect and just after the answer.
        var billedUser = Assert.Single(billed.GetProperty("users").EnumerateArray());
        Assert.Equal("ann", billedUser.GetProperty("userId").GetString());
        Assert.InRange(billed.GetProperty("totalBillableSeconds").GetInt64(), 0, (long)(afterBilling - beforeConnect).TotalSeconds);
        Assert.Equal(billed.GetProperty("totalBillableSeconds").GetInt64(), billedUser.GetProperty("billableSeconds").GetInt64());

        var disconnect = await api.SendAsync(HttpMethod.Delete, $"/v1/companies/{company}/users/ann/mailbox?keepHistory=false", admin);
        Assert.Equal(HttpStatusCode.NoContent, disconnect.StatusCode);
        var after = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/ann/mailbox", admin));
        Assert.Equal("NotConfigured", after.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/ann/mailbox/sync", admin)).StatusCode);
    }

    [Fact]
    public async Task Removing_a_lead_is_for_admins_answers_204_and_then_the_lead_is_gone()
    {
        var company = await api.NewCompanyAsync();
        var admin = ApiFixture.Token(company, "ann", "Administrator");
        var lead = $"/v1/companies/{company}/leads/lee";
        (await api.SendAsync(HttpMethod.Put, lead, admin, new { email = "lee@lead.example", name = "Lee" })).EnsureSuccessStatusCode();

        var bySalesperson = await api.SendAsync(HttpMethod.Delete, lead, ApiFixture.Token(company, "sam", "Salesperson"));
        var timelineBefore = await api.SendAsync(HttpMethod.Get, lead + "/emails", admin);
        var removed = await api.SendAsync(HttpMethod.Delete, lead, admin);
        var timelineAfter = await api.SendAsync(HttpMethod.Get, lead + "/emails", admin);
        var removedAgain = await api.SendAsync(HttpMethod.Delete, lead, admin);

        Assert.Equal(HttpStatusCode.Forbidden, bySalesperson.StatusCode);
        Assert.Equal(HttpStatusCode.OK, timelineBefore.StatusCode); // the refused DELETE removed nothing
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, timelineAfter.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        Assert.Equal("There is no lead 'lee'.", (await Json(removedAgain)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_user_beyond_the_limit_is_Pending_in_queue_order()
    {
        var company = await api.NewCompanyAsync(limit: 1);
        var beforeConnects = DateTimeOffset.UtcNow;
        foreach (var user in new[] { "u1", "u2", "u3" })
        {
            var token = ApiFixture.Token(company, user, "Salesperson");
            var response = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/{user}/mailbox", token,
                ConnectBodies.Custom(user, security: "starttls"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var overview = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync", ApiFixture.Token(company, "boss", "CompanyManager")));
        var u3 = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/u3/mailbox", ApiFixture.Token(company, "u3", "Salesperson")));

        Assert.Equal(["u2", "u3"], overview.GetProperty("pending").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((1, 2), (overview.GetProperty("seatsUsed").GetInt32(), overview.GetProperty("pendingCount").GetInt32()));
        Assert.Equal(("Pending", "yellow", false), (u3.GetProperty("status").GetString(), u3.GetProperty("color").GetString(), u3.GetProperty("billable").GetBoolean()));
        Assert.InRange(u3.GetProperty("pendingSince").GetDateTimeOffset(), beforeConnects, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_Pending_user_sees_their_place_in_the_queue_and_an_Enabled_one_the_next_attempt()
    {
        var company = await api.NewCompanyAsync(limit: 1);
        foreach (var user in new[] { "u1", "u2", "u3" })
        {
            (await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/{user}/mailbox", ApiFixture.Token(company, user, "Salesperson"),
                ConnectBodies.Custom(user, security: "starttls"))).EnsureSuccessStatusCode();
        }
        async Task<JsonElement> MailboxOf(string user) =>
            await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/{user}/mailbox", ApiFixture.Token(company, user, "Salesperson")));

        var u1 = await Poll.UntilAsync(() => MailboxOf("u1"), m => m.GetProperty("status").GetString() != "Pending", TimeSpan.FromSeconds(30), "u1 has the seat");
        var (u2, u3) = (await MailboxOf("u2"), await MailboxOf("u3"));
        (await api.SendAsync(HttpMethod.Delete, $"/v1/companies/{company}/users/u2/mailbox", ApiFixture.Token(company, "u2", "Salesperson"))).EnsureSuccessStatusCode();
        var u3Later = await MailboxOf("u3");
        var overview = await Json(await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync", ApiFixture.Token(company, "boss", "Administrator")));

        Assert.Equal((1, 2), (u2.GetProperty("placeInQueue").GetInt32(), u3.GetProperty("placeInQueue").GetInt32()));
        Assert.Equal(1, u3Later.GetProperty("placeInQueue").GetInt32()); // u2 left the queue: u3 is next
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (u2.GetProperty("nextAttemptAt").ValueKind, u1.GetProperty("placeInQueue").ValueKind));
        Assert.Equal(JsonValueKind.String, u1.GetProperty("nextAttemptAt").ValueKind); // Enabled or Error: it syncs again
        Assert.All(overview.GetProperty("users").EnumerateArray(), u => Assert.Equal(JsonValueKind.Null, u.GetProperty("placeInQueue").ValueKind));
    }
}
