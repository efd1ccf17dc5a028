using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>
/// A Sign in with Microsoft mailbox against what Exchange Online answers and Dovecot cannot: IMAP turned off for the
/// mailbox, and throttling with a suggested wait (the fake identity platform issues the tokens).
/// </summary>
[Trait("Category", "Servers")]
public sealed class MicrosoftMailboxTests
{
    private static async Task<(SyncHarness Harness, MailboxCredentials Credentials)> MailboxAsync(int port)
    {
        var microsoft = await FakeMicrosoft.SharedAsync();
        var harness = new SyncHarness(o => o.AllowInsecureImap = true); // the fake Exchange speaks plain IMAP
        harness.MicrosoftIdentity.ClientId = FakeMicrosoft.ClientId;
        harness.MicrosoftIdentity.ClientSecret = FakeMicrosoft.ClientSecret;
        harness.MicrosoftIdentity.Authority = microsoft.BaseUrl;
        var email = $"x{Guid.NewGuid():N}"[..13] + "@contoso.test";
        return (harness, new MailboxCredentials(
            MailboxProvider.Microsoft, email, email, microsoft.Grant(email), new ImapEndpoint("127.0.0.1", port, ImapSecurity.None)));
    }

    [Fact]
    public async Task IMAP_turned_off_for_the_mailbox_is_ImapDisabled_with_where_an_administrator_turns_it_on()
    {
        await using var exchange = HostileImapServer.Refusing("User is authenticated but not connected.");
        var (harness, credentials) = await MailboxAsync(exchange.Port);

        var outcome = await harness.SyncAsync("ann", credentials);

        Assert.Equal((false, MailboxErrorCode.ImapDisabled), (outcome.Succeeded, outcome.Code));
        Assert.Contains("User is authenticated but not connected", outcome.Detail);
        var (message, fix) = ErrorCatalog.Describe(outcome.Code, MailboxProvider.Microsoft);
        Assert.Equal("IMAP is turned off for this mailbox.", message);
        Assert.Contains("Manage email apps → IMAP", fix);
    }

    [Fact]
    public async Task Throttling_defers_the_mailbox_at_least_as_long_as_Exchange_asks()
    {
        await using var exchange = HostileImapServer.Refusing("Request is throttled. Suggested Backoff Time: 90000 milliseconds");
        var (harness, credentials) = await MailboxAsync(exchange.Port);

        var outcome = await harness.SyncAsync("ann", credentials);

        Assert.Equal((SyncDeferral.Throttled, MailboxErrorCode.ServerThrottled), (outcome.Deferral, outcome.Code));
        Assert.Equal(TimeSpan.FromSeconds(90), outcome.RetryAfter);
    }
}
