using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Foundation;

/// <summary>
/// Azure Table storage away for 30 s in the middle of syncing (Azurite behind a relay that resets and refuses every
/// connection meanwhile): nothing is lost or written twice, the mailbox never shows an error that was ours, and the API
/// answers 503, never 500.
/// </summary>
[Trait("Category", "Servers")]
public sealed class StorageOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Thirty_seconds_without_storage_lose_and_duplicate_nothing_and_leave_the_mailbox_Enabled_with_an_empty_log()
    {
        var tables = TestServices.Current.TablesConnectionString;
        var azuritePort = new Uri(tables.Split(';').First(p => p.StartsWith("TableEndpoint=", StringComparison.Ordinal))["TableEndpoint=".Length..]).Port;
        await using var storage = new OutageProxy(azuritePort);
        var api = new ApiFixture
        {
            ExtraSettings = new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = tables.Replace($"127.0.0.1:{azuritePort}", $"127.0.0.1:{storage.Port}", StringComparison.Ordinal),
                ["Orleans:ServiceId"] = $"svc-{Guid.NewGuid():N}",
                ["MailSync:PollInterval"] = "00:00:02",
                // The outage is storage's: the mail server gets the default patience, not the fixture's 5 s, so a busy CI
                // machine slowing Dovecot's login cannot put an IMAP timeout in the log this test asserts empty.
                ["MailSync:ImapTimeout"] = "00:00:30",
            },
        };
        await api.InitializeAsync();
        try
        {
            var company = await api.NewCompanyAsync(limit: 2);
            var admin = ApiFixture.Token(company, "admin", "Administrator");
            var (user, password) = Dovecot.CreateUser("outage");
            var me = Dovecot.Address(user);
            var mailbox = $"/v1/companies/{company}/users/{user}/mailbox";
            (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/users/{user}", admin, new { email = me, role = "Salesperson" })).EnsureSuccessStatusCode();
            (await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/leads/lee", admin, new { email = "lee@lead.example", name = "Lee" })).EnsureSuccessStatusCode();
            Dovecot.Plant(user, Mail.Message("lee@lead.example", [me], "before 1", DateTimeOffset.UtcNow.AddHours(-2)));
            Dovecot.Plant(user, Mail.Message("lee@lead.example", [me], "before 2", DateTimeOffset.UtcNow.AddHours(-1)));
            (await api.SendAsync(HttpMethod.Post, mailbox, admin,
                ConnectBodies.Custom(user, password, TestServices.Current.ImapsPort, email: me))).EnsureSuccessStatusCode();
            await Poll.UntilAsync(() => Json(api.SendAsync(HttpMethod.Get, mailbox, admin)), m => m.GetProperty("messagesSynced").GetInt64() == 2,
                Deadline, "the first two messages synced");

            await storage.CutAsync();
            Dovecot.Plant(user, Mail.Message("lee@lead.example", [me], "during 1", DateTimeOffset.UtcNow.AddMinutes(-2)));
            Dovecot.Plant(user, Mail.Message(me, ["lee@lead.example"], "during 2", DateTimeOffset.UtcNow.AddMinutes(-1)), "Sent");
            var answers = new List<(string Call, HttpStatusCode Status, string? Type, bool RetryAfter)>();
            var statuses = new List<string>();
            var outageEnds = DateTime.UtcNow + Outage;
            for (var i = 0; DateTime.UtcNow < outageEnds; i++)
            {
                using var read = await api.SendAsync(HttpMethod.Get, mailbox, admin);
                answers.Add(Answer("read status", read));
                if (read.IsSuccessStatusCode) statuses.Add((await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!);
                using var write = await api.SendAsync(HttpMethod.Put, $"/v1/companies/{company}/users/u{i}", admin, new { email = $"u{i}@acme.test", role = "Salesperson" });
                answers.Add(Answer("register a user", write));
                await Task.Delay(TimeSpan.FromSeconds(1)); // pacing the requests, not waiting for a state
            }
            storage.Restore();

            var recovered = await Poll.UntilAsync(() => Json(api.SendAsync(HttpMethod.Get, mailbox, admin)),
                m => m.GetProperty("messagesSynced").GetInt64() >= 4 && m.GetProperty("status").GetString() == "Enabled", Deadline, "synced after the outage");
            var timeline = await Poll.UntilAsync(() => Json(api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/leads/lee/emails", admin)),
                t => t.GetProperty("items").GetArrayLength() >= 4, Deadline, "all four on the timeline");
            var log = await Json(api.SendAsync(HttpMethod.Get, $"{mailbox}/errors", admin));

            Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.ServiceUnavailable, $"{a.Call}: {a.Status}"));
            Assert.All(answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable),
                a => Assert.True(a.Type == "application/problem+json" && a.RetryAfter, $"{a.Call}: 503 without problem details or Retry-After"));
            Assert.Contains(answers, a => a.Call == "register a user" && a.Status == HttpStatusCode.ServiceUnavailable);
            Assert.DoesNotContain(statuses, s => s is "Error" or "ConnectionIssue");
            Assert.Equal(["during 2", "during 1", "before 2", "before 1"],
                timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("subject").GetString()));
            Assert.Equal(4, recovered.GetProperty("messagesSynced").GetInt64());
            Assert.True(log.GetProperty("items").GetArrayLength() == 0, $"error log not empty: {log}");
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    private static (string, HttpStatusCode, string?, bool) Answer(string call, HttpResponseMessage response) =>
        (call, response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter is not null);

    private static async Task<JsonElement> Json(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
