using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Api;

/// <summary>
/// An API of its own with the guards as in production: the port allow-list on (the shared fixture allows any port for
/// the tests' servers on random ports) and the default sync-now cooldown (the shared fixture's is a millisecond).
/// Only 993 and the test Dovecot's port are listed.
/// </summary>
public sealed class GuardedApiFixture : IAsyncLifetime
{
    public ApiFixture Api { get; } = new()
    {
        ExtraSettings = new Dictionary<string, string?>
        {
            ["MailSync:AllowAnyImapPort"] = "false",
            ["MailSync:AllowedImapPorts:0"] = "993",
            ["MailSync:AllowedImapPorts:1"] = TestServices.Current.ImapsPort.ToString(),
            ["MailSync:SyncNowCooldown"] = "00:01:00",
        },
    };

    public Task InitializeAsync() => Api.InitializeAsync();

    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>Abuse guards through the API: "sync now" cools down per mailbox, IMAP goes only to listed ports.</summary>
[Trait("Category", "Servers")]
public sealed class AbuseGuardApiTests(GuardedApiFixture fixture) : IClassFixture<GuardedApiFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private ApiFixture Api => fixture.Api;

    private IMailboxGrain Grain(string company, string user) => Api.Services.GetRequiredService<IClusterClient>().GetMailbox(company, user);

    /// <summary>A Dovecot user connected by themselves through the API, after its first pass.</summary>
    private async Task<(string Mailbox, string Token, IMailboxGrain Grain)> SyncedMailboxAsync(string company, string prefix)
    {
        var (user, password) = Dovecot.CreateUser(prefix);
        var token = ApiFixture.Token(company, user, "Salesperson");
        var mailbox = $"/v1/companies/{company}/users/{user}/mailbox";
        (await Api.SendAsync(HttpMethod.Post, mailbox, token,
            ConnectBodies.Custom(user, password, TestServices.Current.ImapsPort, email: Dovecot.Address(user)))).EnsureSuccessStatusCode();
        var grain = Grain(company, user);
        await Poll.UntilAsync(grain.GetStatus, v => v.LastSyncAt is not null, Deadline, $"{user}'s first pass");
        return (mailbox, token, grain);
    }

    [Fact]
    public async Task A_second_sync_now_within_the_cooldown_is_a_429_with_Retry_After_and_changes_nothing()
    {
        var company = await Api.NewCompanyAsync(limit: 2);
        var admin = ApiFixture.Token(company, "boss", "Administrator");
        var ann = await SyncedMailboxAsync(company, "cooldown");
        var bob = await SyncedMailboxAsync(company, "neighbour");

        var firstPass = (await ann.Grain.GetStatus()).LastSyncAt;
        using var first = await Api.SendAsync(HttpMethod.Post, $"{ann.Mailbox}/sync", ann.Token);
        var before = await Poll.UntilAsync(ann.Grain.GetStatus, v => v.LastSyncAt > firstPass, Deadline, "the pass of the sync now");
        using var second = await Api.SendAsync(HttpMethod.Post, $"{ann.Mailbox}/sync", ann.Token);
        using var byAdmin = await Api.SendAsync(HttpMethod.Post, $"{ann.Mailbox}/sync", admin);
        var after = await ann.Grain.GetStatus();
        using var otherMailbox = await Api.SendAsync(HttpMethod.Post, $"{bob.Mailbox}/sync", bob.Token);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        var retryAfter = second.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)); // whole seconds of the 1 min cooldown
        Assert.Equal(HttpStatusCode.TooManyRequests, byAdmin.StatusCode); // per mailbox, whoever asks
        Assert.NotNull(byAdmin.Headers.RetryAfter?.Delta);
        Assert.Equal(before, after); // nothing scheduled, nothing synced, nothing written
        Assert.Equal(HttpStatusCode.Accepted, otherMailbox.StatusCode);
    }

    [Fact]
    public async Task Sync_now_without_a_mailbox_is_still_a_409_not_a_429()
    {
        var company = await Api.NewCompanyAsync();
        var token = ApiFixture.Token(company, "ann", "Salesperson");
        var sync = $"/v1/companies/{company}/users/ann/mailbox/sync";

        using var first = await Api.SendAsync(HttpMethod.Post, sync, token);
        using var second = await Api.SendAsync(HttpMethod.Post, sync, token);

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (first.StatusCode, second.StatusCode));
        Assert.Null(second.Headers.RetryAfter);
    }

    [Fact]
    public async Task Only_listed_ports_connect_others_are_a_400_naming_imap_port_and_change_nothing()
    {
        await using var blackhole = HostileImapServer.Blackhole();
        var company = await Api.NewCompanyAsync(limit: 3);
        var token = ApiFixture.Token(company, "ann", "Salesperson");
        var mailbox = $"/v1/companies/{company}/users/ann/mailbox";

        var refused = new List<(int Port, HttpStatusCode Status, bool NamesPort)>();
        foreach (var port in new[] { 25, 143, 5432, blackhole.Port })
        {
            using var response = await Api.SendAsync(HttpMethod.Post, mailbox, token, ConnectBodies.Custom("ann", port: port));
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            refused.Add((port, response.StatusCode, body.TryGetProperty("errors", out var errors) && errors.TryGetProperty("imap.port", out _)));
        }
        var untouched = await Grain(company, "ann").GetStatus();
        var listed = await SyncedMailboxAsync(company, "listed"); // the test Dovecot's port is listed

        // 143 is IMAP's own port, but a configured list replaces the default.
        Assert.All(refused, r => Assert.True(r.Status == HttpStatusCode.BadRequest && r.NamesPort, $"port {r.Port}: {r.Status}"));
        Assert.Equal(MailboxStatus.NotConfigured, untouched.Status);
        Assert.Equal(MailboxStatus.Enabled, (await listed.Grain.GetStatus()).Status);
        Assert.Equal(0, blackhole.Connections);
    }

    [Fact]
    public async Task Stored_credentials_on_an_unlisted_port_are_refused_by_the_silo_without_connecting()
    {
        await using var blackhole = HostileImapServer.Blackhole();
        var company = await Api.NewCompanyAsync();
        var eve = Grain(company, "eve");

        // Credentials that reach the silo without the API: stored before the list, or edited behind it.
        await eve.Connect(new MailboxCredentials(
            MailboxProvider.Custom, "eve@acme.test", "eve", "pw", new ImapEndpoint("127.0.0.1", blackhole.Port, ImapSecurity.Ssl)));
        var failed = await Poll.UntilAsync(eve.GetStatus, v => v.Status == MailboxStatus.Error, Deadline, "eve's attempt failed");

        Assert.Equal(MailboxErrorCode.HostNotAllowed, failed.LastError!.Code);
        Assert.Equal("The port given for 127.0.0.1 is not an IMAP port this service connects to.", failed.LastError.Detail);
        Assert.Equal(0, blackhole.Connections);
    }
}
