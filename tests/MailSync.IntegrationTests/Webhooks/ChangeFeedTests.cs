using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Webhooks;

/// <summary>
/// A consumer mirrors every mailbox's status with one change-feed request per interval: the API on Kestrel with its silo
/// on Azurite, 50 mailboxes moving through Pending, Enabled, Error and NotConfigured at once.
/// </summary>
[Trait("Category", "Servers")]
public sealed class ChangeFeedTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Fifty_mailboxes_are_mirrored_through_the_change_feed_with_no_gap_and_the_final_statuses_match()
    {
        var api = new ApiFixture
        {
            ExtraSettings = new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = TestServices.Current.TablesConnectionString,
                ["Orleans:ServiceId"] = $"svc-{Guid.NewGuid():N}",
            },
        };
        await api.InitializeAsync();
        try
        {
            var company = await api.NewCompanyAsync(limit: 30);
            var admin = ApiFixture.Token(company, "admin", "Administrator");
            var users = Enumerable.Range(0, 50).Select(i => $"u{i:D2}").ToList();
            var mirror = new Dictionary<string, string>();
            var cursor = "";
            var gaps = new List<string>();

            async Task PullAsync()
            {
                while (true)
                {
                    var page = await (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/mail-sync/changes?limit=37&since={cursor}", admin))
                        .Content.ReadFromJsonAsync<JsonElement>();
                    var items = page.GetProperty("items").EnumerateArray().ToList();
                    foreach (var item in items)
                    {
                        var user = item.GetProperty("userId").GetString()!;
                        var old = item.GetProperty("oldStatus").GetString()!;
                        // No gap: every change starts where the mirror's last one for that mailbox ended.
                        if (mirror.GetValueOrDefault(user, "NotConfigured") != old) gaps.Add($"{user}: mirror {mirror.GetValueOrDefault(user)}, change from {old}");
                        mirror[user] = item.GetProperty("newStatus").GetString()!;
                    }
                    cursor = page.GetProperty("next").GetString()!;
                    if (items.Count < 37) return;
                }
            }

            // 50 connects to servers nobody listens on: 30 get a seat (Enabled, then Error), 20 wait (Pending); the consumer
            // pulls meanwhile. Then 10 seat holders disconnect: 10 waiting users are promoted.
            var connects = Task.WhenAll(users.Select(u => api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/{u}/mailbox", Self(company, u), ConnectBodies.Custom(u))));
            while (!connects.IsCompleted) await PullAsync();
            await connects;
            var statuses = await StatusesAsync(api, company, users);
            var holders = users.Where(u => statuses[u] != "Pending").Take(10).ToList();
            await Task.WhenAll(holders.Select(u => api.SendAsync(HttpMethod.Delete, $"/v1/companies/{company}/users/{u}/mailbox", Self(company, u))));

            // The last value names what is still off, so a timeout says whether the feed or the mailboxes lag.
            await Poll.UntilAsync(async () =>
            {
                await PullAsync();
                var now = await StatusesAsync(api, company, users);
                var off = users.Where(u => mirror.GetValueOrDefault(u, "NotConfigured") != now[u])
                    .Select(u => $"{u}: mirror {mirror.GetValueOrDefault(u, "NotConfigured")}, now {now[u]}")
                    .Concat(now.Where(p => p.Value == "Enabled").Select(p => $"{p.Key} still Enabled"))
                    .Append($"{now.Values.Count(s => s == "Pending")} Pending").ToList();
                return string.Join("; ", off);
            }, off => off == "10 Pending", Deadline, "the mirror matches every mailbox after the promotions and failures");

            Assert.Empty(gaps);
            Assert.Equal(10, mirror.Values.Count(s => s == "NotConfigured"));
            Assert.Equal(30, mirror.Values.Count(s => s == "Error"));
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    /// <summary>Users connect themselves (an admin may connect only registered users).</summary>
    private static string Self(string company, string user) => ApiFixture.Token(company, user, "Salesperson");

    private static async Task<Dictionary<string, string>> StatusesAsync(ApiFixture api, string company, List<string> users)
    {
        var views = await Task.WhenAll(users.Select(async u =>
            await (await api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/{u}/mailbox", Self(company, u))).Content.ReadFromJsonAsync<JsonElement>()));
        return users.Zip(views).ToDictionary(p => p.First, p => p.Second.GetProperty("status").GetString()!);
    }
}
