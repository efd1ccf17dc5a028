using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Api;

/// <summary>
/// The company-wide reads served from the company's rows: the overview, the paged users list with its status filter,
/// and the company error log. Mailbox grains write those rows right after each change, so what they show is polled.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CompanyUsersApiTests(ApiFixture api)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>The seven registered users of <see cref="CompanyOfSevenAsync"/>, in user-id order.</summary>
    private static readonly string[] Seven = ["u1", "u2", "u3", "u4", "u5", "u6", "u7"];

    private static readonly string[] MailboxFields =
        ["userId", "email", "provider", "status", "color", "lastSyncAt", "lastError", "messagesSynced", "billable", "pendingSince",
         "nextAttemptAt", "failingSince", "placeInQueue"];

    private static string Op => ApiFixture.OperatorToken();

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<JsonElement> GetOk(string path, string? token = null)
    {
        var response = await api.SendAsync(HttpMethod.Get, path, token ?? Op);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await Json(response);
    }

    private static string Users(string company, string query = "") => $"/v1/companies/{company}/mail-sync/users{query}";

    private static string[] Ids(JsonElement list) => [.. list.EnumerateArray().Select(u => u.GetProperty("userId").GetString()!)];

    private static JsonElement User(JsonElement list, string userId) => list.EnumerateArray().Single(u => u.GetProperty("userId").GetString() == userId);

    private async Task RegisterAsync(string company, string user) =>
        (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/users/{user}", Op, new { email = $"{user}@crm.example", role = "Salesperson" }))
            .EnsureSuccessStatusCode();

    private async Task ConnectAsync(string company, string user)
    {
        var response = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/{user}/mailbox",
            ApiFixture.Token(company, "boss", "Administrator"), ConnectBodies.Custom(user));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>
    /// Limit 2 and seven users registered as u1..u7@crm.example; the first <paramref name="connected"/> connect in order
    /// (u1@acme.test... on a closed port), so u1 and u2 hold the seats (failing, in Error) and u3 waits, Pending.
    /// </summary>
    private async Task<string> CompanyOfSevenAsync(int connected = 3)
    {
        var company = await api.NewCompanyAsync(limit: 2);
        foreach (var user in Seven) await RegisterAsync(company, user);
        foreach (var user in Seven.Take(connected)) await ConnectAsync(company, user);
        return company;
    }

    /// <summary>Reads the users list until the company's rows say what the connects led to: u1, u2 in Error, u3 Pending.</summary>
    private Task<JsonElement> SettledOverviewAsync(string company) => Poll.UntilAsync(
        () => GetOk($"/v1/companies/{company}/mail-sync"),
        o => o.GetProperty("users").GetArrayLength() == Seven.Length &&
             User(o.GetProperty("users"), "u1").GetProperty("status").GetString() == "Error" &&
             User(o.GetProperty("users"), "u2").GetProperty("status").GetString() == "Error" &&
             User(o.GetProperty("users"), "u3").GetProperty("status").GetString() == "Pending",
        Deadline, "u1 and u2 in Error, u3 Pending in the overview");

    private static async Task AssertProblemNamingAsync(HttpResponseMessage response, string field, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{what}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out _), $"{what}: {body}");
    }

    [Fact]
    public async Task The_overview_counts_seats_lists_the_Pending_queue_and_the_first_page_of_users_in_user_id_order()
    {
        var company = await CompanyOfSevenAsync();

        var overview = await SettledOverviewAsync(company);

        Assert.Equal(
            ["mailboxSyncLimit", "seatsUsed", "pending", "pendingCount", "users", "next"],
            overview.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, overview.GetProperty("mailboxSyncLimit").GetInt32());
        Assert.Equal(2, overview.GetProperty("seatsUsed").GetInt32());
        Assert.Equal(1, overview.GetProperty("pendingCount").GetInt32());
        Assert.Equal(["u3"], overview.GetProperty("pending").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(JsonValueKind.Null, overview.GetProperty("next").ValueKind);

        var users = overview.GetProperty("users");
        Assert.Equal(Seven, Ids(users));
        Assert.All(users.EnumerateArray(), u => Assert.Equal(MailboxFields, u.EnumerateObject().Select(p => p.Name)));
        foreach (var holder in new[] { "u1", "u2" })
        {
            var u = User(users, holder);
            Assert.Equal($"{holder}@acme.test", u.GetProperty("email").GetString()); // the mailbox's address once connected
            Assert.Equal(("custom", "red", true), (u.GetProperty("provider").GetString(), u.GetProperty("color").GetString(), u.GetProperty("billable").GetBoolean()));
            Assert.Equal("ConnectionRefused", u.GetProperty("lastError").GetProperty("code").GetString());
            Assert.Equal(JsonValueKind.Null, u.GetProperty("pendingSince").ValueKind);
        }
        var pending = User(users, "u3");
        Assert.Equal(("u3@acme.test", "custom", "yellow", false),
            (pending.GetProperty("email").GetString(), pending.GetProperty("provider").GetString(), pending.GetProperty("color").GetString(), pending.GetProperty("billable").GetBoolean()));
        Assert.Equal(JsonValueKind.String, pending.GetProperty("pendingSince").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("lastError").ValueKind);
        foreach (var registered in Seven[3..])
        {
            var u = User(users, registered);
            Assert.Equal(("NotConfigured", "grey", false, $"{registered}@crm.example"),
                (u.GetProperty("status").GetString(), u.GetProperty("color").GetString(), u.GetProperty("billable").GetBoolean(), u.GetProperty("email").GetString()));
            Assert.Equal(JsonValueKind.Null, u.GetProperty("provider").ValueKind);
            Assert.Equal(JsonValueKind.Null, u.GetProperty("lastError").ValueKind);
            Assert.Equal(0, u.GetProperty("messagesSynced").GetInt64());
        }
    }

    [Fact]
    public async Task Paging_the_users_with_limit_3_visits_every_user_exactly_once_in_order_and_ends_with_next_null()
    {
        var company = await CompanyOfSevenAsync();
        await SettledOverviewAsync(company);

        var pages = new List<string[]>();
        string? next = null;
        do
        {
            var page = await GetOk(Users(company, "?limit=3" + (next is null ? "" : $"&continuation={Uri.EscapeDataString(next)}")));
            Assert.Equal(["items", "next"], page.EnumerateObject().Select(p => p.Name));
            pages.Add(Ids(page.GetProperty("items")));
            next = page.GetProperty("next").GetString();
            Assert.True(pages.Count <= Seven.Length, "paging does not end");
        }
        while (next is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Length));
        Assert.Equal(Seven, pages.SelectMany(p => p));
    }

    [Fact]
    public async Task The_overview_lists_the_first_100_users_and_its_next_continues_in_the_users_list()
    {
        var company = await api.NewCompanyAsync();
        string[] all = [.. Enumerable.Range(0, 101).Select(i => $"user-{i:D3}")];
        foreach (var batch in all.Chunk(20)) await Task.WhenAll(batch.Select(user => RegisterAsync(company, user)));

        var overview = await GetOk($"/v1/companies/{company}/mail-sync");
        var next = overview.GetProperty("next").GetString();
        var rest = await GetOk(Users(company, $"?limit=500&continuation={Uri.EscapeDataString(next!)}"));

        Assert.Equal(all[..100], Ids(overview.GetProperty("users")));
        Assert.Equal([all[100]], Ids(rest.GetProperty("items")));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("next").ValueKind);
    }

    [Fact]
    public async Task A_status_filter_lists_only_the_users_in_that_status_and_pages_within_it()
    {
        var company = await CompanyOfSevenAsync();
        await SettledOverviewAsync(company);

        var pendingOnly = await GetOk(Users(company, "?status=Pending"));
        var erroring = await GetOk(Users(company, "?status=Error"));
        var enabled = await GetOk(Users(company, "?status=Enabled"));
        var firstNotConfigured = await GetOk(Users(company, "?status=NotConfigured&limit=2"));
        var restNotConfigured = await GetOk(Users(company,
            $"?status=NotConfigured&limit=2&continuation={Uri.EscapeDataString(firstNotConfigured.GetProperty("next").GetString()!)}"));

        Assert.Equal(["u3"], Ids(pendingOnly.GetProperty("items")));
        Assert.Equal("Pending", pendingOnly.GetProperty("items")[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, pendingOnly.GetProperty("next").ValueKind);
        Assert.Equal(["u1", "u2"], Ids(erroring.GetProperty("items")));
        Assert.Empty(Ids(enabled.GetProperty("items")));
        Assert.Equal(["u4", "u5"], Ids(firstNotConfigured.GetProperty("items")));
        Assert.Equal(["u6", "u7"], Ids(restNotConfigured.GetProperty("items")));
        Assert.Equal(JsonValueKind.Null, restNotConfigured.GetProperty("next").ValueKind);
        var notConfigured = firstNotConfigured.GetProperty("items").EnumerateArray().Concat(restNotConfigured.GetProperty("items").EnumerateArray());
        Assert.All(notConfigured, u =>
        {
            Assert.Equal("NotConfigured", u.GetProperty("status").GetString());
            Assert.Equal($"{u.GetProperty("userId").GetString()}@crm.example", u.GetProperty("email").GetString());
        });
    }

    [Fact]
    public async Task A_freed_seat_moves_the_first_Pending_user_out_of_the_Pending_list_and_the_queue()
    {
        var company = await CompanyOfSevenAsync();
        await SettledOverviewAsync(company);

        var disconnect = await api.SendAsync(HttpMethod.Delete, $"/v1/companies/{company}/users/u1/mailbox", Op);
        Assert.Equal(HttpStatusCode.NoContent, disconnect.StatusCode);
        var promoted = await Poll.UntilAsync(() => GetOk(Users(company)),
            p => User(p.GetProperty("items"), "u3").GetProperty("status").GetString() is "Enabled" or "Error", Deadline, "u3 promoted in the users list");
        var overview = await GetOk($"/v1/companies/{company}/mail-sync");

        Assert.Empty(Ids((await GetOk(Users(company, "?status=Pending"))).GetProperty("items")));
        Assert.Equal((0, 0), (overview.GetProperty("pendingCount").GetInt32(), overview.GetProperty("pending").GetArrayLength()));
        Assert.Equal(2, overview.GetProperty("seatsUsed").GetInt32());
        // u1 is back to their registration: NotConfigured with the registered address, no provider.
        var u1 = User(promoted.GetProperty("items"), "u1");
        Assert.Equal(("NotConfigured", "u1@crm.example"), (u1.GetProperty("status").GetString(), u1.GetProperty("email").GetString()));
        Assert.Equal(JsonValueKind.Null, u1.GetProperty("provider").ValueKind);
        Assert.Equal(["u1", "u4", "u5", "u6", "u7"], Ids((await GetOk(Users(company, "?status=NotConfigured"))).GetProperty("items")));
    }

    public static TheoryData<string, string> BadQueries() => new()
    {
        { "?limit=0", "limit" },
        { "?limit=501", "limit" },
        { "?limit=-1", "limit" },
        { "?limit=ten", "limit" },
        { "?status=Bogus", "status" },
        { "?continuation=garbage", "continuation" },
        { "?continuation=%25%25not-base64%25%25", "continuation" },
        { $"?continuation={new string('A', 4000)}", "continuation" },
    };

    [Fact]
    public async Task Empty_status_and_continuation_mean_none()
    {
        var company = await api.NewCompanyAsync();
        await RegisterAsync(company, "ann");

        var page = await GetOk(Users(company, "?status=&continuation="));

        Assert.Equal(["ann"], Ids(page.GetProperty("items")));
    }

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task A_bad_limit_status_or_continuation_is_a_400_naming_the_field(string query, string field)
    {
        var company = await api.NewCompanyAsync();
        await RegisterAsync(company, "u1");

        await AssertProblemNamingAsync(await api.SendAsync(HttpMethod.Get, Users(company, query), Op), field, query);
    }

    [Fact]
    public async Task A_continuation_issued_for_another_status_filter_or_another_company_is_a_400_naming_continuation()
    {
        var company = await api.NewCompanyAsync();
        var other = await api.NewCompanyAsync();
        foreach (var user in new[] { "u1", "u2", "u3" })
        {
            await RegisterAsync(company, user);
            await RegisterAsync(other, user);
        }
        var unfiltered = (await GetOk(Users(company, "?limit=1"))).GetProperty("next").GetString()!;
        var notConfigured = (await GetOk(Users(company, "?status=NotConfigured&limit=1"))).GetProperty("next").GetString()!;

        // Each token works for the list it was issued for, so the refusals below are about where it is used.
        Assert.Equal(["u2"], Ids((await GetOk(Users(company, $"?continuation={Uri.EscapeDataString(unfiltered)}&limit=1"))).GetProperty("items")));
        Assert.Equal(["u2"], Ids((await GetOk(Users(company,
            $"?status=NotConfigured&continuation={Uri.EscapeDataString(notConfigured)}&limit=1"))).GetProperty("items")));

        var misuses = new (string What, string Path)[]
        {
            ("unfiltered token with a status filter", Users(company, $"?status=NotConfigured&continuation={Uri.EscapeDataString(unfiltered)}")),
            ("NotConfigured token without a filter", Users(company, $"?continuation={Uri.EscapeDataString(notConfigured)}")),
            ("NotConfigured token with another filter", Users(company, $"?status=Pending&continuation={Uri.EscapeDataString(notConfigured)}")),
            ("token of another company", Users(other, $"?continuation={Uri.EscapeDataString(unfiltered)}")),
            ("filtered token of another company", Users(other, $"?status=NotConfigured&continuation={Uri.EscapeDataString(notConfigured)}")),
        };
        foreach (var (what, path) in misuses)
            await AssertProblemNamingAsync(await api.SendAsync(HttpMethod.Get, path, Op), "continuation", what);
        // The other company's admin gets the same 400, and learns nothing about the first company's users.
        var otherAdmin = await api.SendAsync(HttpMethod.Get, Users(other, $"?continuation={Uri.EscapeDataString(unfiltered)}"),
            ApiFixture.Token(other, "boss", "Administrator"));
        await AssertProblemNamingAsync(otherAdmin, "continuation", "another company's token, by its admin");
        Assert.DoesNotContain(company, await otherAdmin.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_connect_shows_in_the_company_error_log_with_the_users_id_newest_first()
    {
        var company = await api.NewCompanyAsync();
        foreach (var user in new[] { "ann", "bob" })
        {
            await RegisterAsync(company, user);
            await ConnectAsync(company, user);
        }

        var log = await Poll.UntilAsync(() => GetOk($"/v1/companies/{company}/mail-sync/errors"),
            l => l.GetProperty("items").GetArrayLength() >= 2, Deadline, "both failures in the company error log");
        var annOwn = await GetOk($"/v1/companies/{company}/users/ann/mailbox/errors");
        var newestOnly = await GetOk($"/v1/companies/{company}/mail-sync/errors?limit=1");

        var items = log.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["ann", "bob"], items.Select(e => e.GetProperty("userId").GetString()).Order());
        Assert.All(items, e =>
        {
            Assert.Equal("ConnectionRefused", e.GetProperty("code").GetString());
            Assert.Equal(1, e.GetProperty("attempt").GetInt32());
            Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("fix").GetString()));
        });
        var times = items.Select(e => e.GetProperty("occurredAt").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
        var ann = items.Single(e => e.GetProperty("userId").GetString() == "ann");
        var annEntry = Assert.Single(annOwn.GetProperty("items").EnumerateArray());
        Assert.Equal(annEntry.GetProperty("occurredAt").GetDateTimeOffset(), ann.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.False(annEntry.TryGetProperty("userId", out _)); // the mailbox's own log needs no user id
        Assert.Equal([items[0].GetProperty("userId").GetString()!], Ids(newestOnly.GetProperty("items")));
    }

    [Fact]
    public async Task Disconnecting_a_mailbox_that_was_never_connected_adds_no_user_to_the_list()
    {
        var company = await api.NewCompanyAsync();
        await RegisterAsync(company, "ann");

        var byAdmin = await api.SendAsync(HttpMethod.Delete, $"/v1/companies/{company}/users/typo-user/mailbox", Op);
        var bySelf = await api.SendAsync(HttpMethod.Delete, $"/v1/companies/{company}/users/sam/mailbox", ApiFixture.Token(company, "sam", "Salesperson"));

        Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.NoContent), (byAdmin.StatusCode, bySelf.StatusCode));
        Assert.Equal(["ann"], Ids((await GetOk(Users(company))).GetProperty("items")));
    }
}
