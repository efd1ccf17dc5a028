using MailKit.Net.Imap;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Shared.Configuration;
using MailSync.Shared.MicrosoftIdentity;

namespace MailSync.UnitTests.Sync;

/// <summary>What Microsoft's token endpoint and Exchange Online's IMAP say, as codes a user can act on.</summary>
public sealed class MicrosoftErrorTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("invalid_grant", 700082, MailboxErrorCode.OAuthTokenRevoked)]
    [InlineData("invalid_grant", 50173, MailboxErrorCode.OAuthTokenRevoked)]
    [InlineData("interaction_required", 50079, MailboxErrorCode.OAuthTokenRevoked)]
    [InlineData("invalid_grant", 65001, MailboxErrorCode.OAuthAdminConsentRequired)]
    [InlineData("invalid_request", 90094, MailboxErrorCode.OAuthAdminConsentRequired)]
    [InlineData("consent_required", 0, MailboxErrorCode.OAuthAdminConsentRequired)]
    [InlineData("invalid_client", 7000215, MailboxErrorCode.OAuthServerUnavailable)]
    public void A_token_refusal_maps_by_its_error_and_AADSTS_code(string error, int aadsts, MailboxErrorCode expected)
    {
        var refusal = new MicrosoftTokenException(error, aadsts == 0 ? [] : [aadsts], $"AADSTS{aadsts}: words.\r\nTrace ID: 1");

        Assert.Equal(expected, ImapErrorClassifier.Classify(refusal, MailboxProvider.Microsoft));
        Assert.DoesNotContain("Trace ID", refusal.Message);
    }

    [Fact]
    public void The_admin_consent_link_is_in_the_refusals_words_only_when_an_administrator_must_approve()
    {
        const string link = "https://login.example/organizations/v2.0/adminconsent?client_id=app";

        Assert.EndsWith($"Admin consent link: {link}", new MicrosoftTokenException("invalid_grant", [65001], "AADSTS65001: no consent.", link).Message);
        Assert.DoesNotContain(link, new MicrosoftTokenException("invalid_grant", [700082], "AADSTS700082: expired.", link).Message);
    }

    [Fact]
    public void IMAP_turned_off_at_Exchange_is_ImapDisabled_and_a_refused_sign_in_is_OAuthAccessRefused()
    {
        var notConnected = new ImapCommandException(ImapCommandResponse.No, "User is authenticated but not connected.");

        Assert.Equal(MailboxErrorCode.ImapDisabled, ImapErrorClassifier.Classify(notConnected, MailboxProvider.Microsoft));
        Assert.Equal(MailboxErrorCode.OAuthAccessRefused,
            ImapErrorClassifier.Classify(new AuthenticationException("AUTHENTICATE failed."), MailboxProvider.Microsoft));
    }

    [Theory]
    [InlineData("Request is throttled. Suggested Backoff Time: 187 milliseconds", 187)]
    [InlineData("NO Request is throttled. Suggested Backoff Time: 45000 ms", 45_000)]
    [InlineData("Request is throttled. Suggested Backoff Time: 99999999999 milliseconds", 3_600_000)]
    public void Exchanges_throttling_says_how_long_to_wait_at_most_an_hour(string text, int milliseconds)
    {
        var throttled = new ImapCommandException(ImapCommandResponse.No, text);

        Assert.Equal(MailboxErrorCode.ServerThrottled, ImapErrorClassifier.Classify(throttled, MailboxProvider.Microsoft));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), ImapErrorClassifier.SuggestedBackoff(throttled));
    }

    [Fact]
    public void A_throttled_attempt_waits_at_least_as_asked_keeps_the_status_and_streak_and_is_only_a_warning()
    {
        var policy = new OutcomePolicy(new MailSyncOptions());
        var credentials = new MailboxCredentials(MailboxProvider.Microsoft, "ann@contoso.test", "ann@contoso.test", "refresh",
            new ImapEndpoint("outlook.office365.com", 993, ImapSecurity.Ssl));
        var enabled = new MailboxLifecycle(MailboxStatus.Enabled, NextAttemptAt: Now);

        var decision = policy.Decide(enabled, null, SyncOutcome.Throttled(TimeSpan.FromMinutes(3), "Request is throttled."),
            new AttemptFacts(Now, credentials, 1, 0.5, 0.5));

        Assert.Equal((MailboxStatus.Enabled, 0), (decision.Lifecycle.Status, decision.Lifecycle.ConsecutiveFailures));
        Assert.True(decision.Lifecycle.NextAttemptAt >= Now + TimeSpan.FromMinutes(3));
        var entry = Assert.Single(decision.Entries);
        Assert.True(entry.Warning);
        Assert.Equal(MailboxErrorCode.ServerThrottled, entry.Entry.Code);
        Assert.StartsWith("Microsoft is limiting access", entry.Entry.Message);
        Assert.False(decision.Counted);
    }
}
