using MailKit.Net.Imap;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;

namespace MailSync.UnitTests.Sync;

public sealed class ImapErrorClassifierTests
{
    [Theory]
    [InlineData("[ALERT] Application-specific password required: https://support.google.com/accounts/answer/185833 (Failure)", MailboxErrorCode.AppPasswordRequired)]
    [InlineData("[ALERT] Please log in via your web browser: https://support.google.com/mail/accounts/answer/78754 (Failure)", MailboxErrorCode.WebLoginRequired)]
    [InlineData("[ALERT] Your account is not enabled for IMAP use. Please visit your Gmail settings page and enable your account for IMAP access. (Failure)", MailboxErrorCode.ImapDisabled)]
    [InlineData("[AUTHENTICATIONFAILED] Invalid credentials (Failure)", MailboxErrorCode.AuthenticationFailed)]
    public void Gmail_login_refusals_map_to_their_specific_codes(string text, MailboxErrorCode expected)
    {
        Assert.Equal(expected, ImapErrorClassifier.Classify(new AuthenticationException(text)));
    }

    [Theory]
    [InlineData("[OVERQUOTA] Account exceeded command or bandwidth limits.")]
    [InlineData("[UNAVAILABLE] Temporary System Error")]
    public void Gmail_throttling_maps_to_ServerThrottled(string text)
    {
        Assert.Equal(MailboxErrorCode.ServerThrottled, ImapErrorClassifier.Classify(new ImapCommandException(ImapCommandResponse.No, text)));
        Assert.Equal(MailboxErrorCode.ServerThrottled, ImapErrorClassifier.Classify(new AuthenticationException(text)));
    }

    [Theory]
    [InlineData("invalid_grant", MailboxErrorCode.OAuthTokenRevoked)]
    [InlineData("invalid_scope", MailboxErrorCode.OAuthScopeMissing)]
    [InlineData("invalid_client", MailboxErrorCode.OAuthServerUnavailable)]
    public void Google_token_refusals_map_to_their_codes(string error, MailboxErrorCode expected)
    {
        var refusal = new Google.Apis.Auth.OAuth2.Responses.TokenResponseException(new Google.Apis.Auth.OAuth2.Responses.TokenErrorResponse { Error = error });

        Assert.Equal(expected, ImapErrorClassifier.Classify(refusal));
    }

    [Fact]
    public void Other_command_failures_are_ProtocolError_and_unknown_exceptions_Unknown()
    {
        Assert.Equal(MailboxErrorCode.ProtocolError, ImapErrorClassifier.Classify(new ImapCommandException(ImapCommandResponse.Bad, "Error in IMAP command")));
        Assert.Equal(MailboxErrorCode.Unknown, ImapErrorClassifier.Classify(new InvalidCastException()));
    }

    [Fact]
    public void A_refused_XOAUTH2_login_is_OAuthAccessRefused_for_Google_sign_in_and_AuthenticationFailed_for_passwords()
    {
        var refused = new AuthenticationException("[AUTHENTICATIONFAILED] Invalid credentials (Failure)");
        var imapOff = new AuthenticationException("[ALERT] Your account is not enabled for IMAP use. (Failure)");

        Assert.Equal(MailboxErrorCode.OAuthAccessRefused, ImapErrorClassifier.Classify(refused, MailboxProvider.Google));
        Assert.Equal(MailboxErrorCode.AuthenticationFailed, ImapErrorClassifier.Classify(refused, MailboxProvider.GoogleAppPassword));
        Assert.Equal(MailboxErrorCode.AuthenticationFailed, ImapErrorClassifier.Classify(refused, MailboxProvider.Custom));
        Assert.Equal(MailboxErrorCode.ImapDisabled, ImapErrorClassifier.Classify(imapOff, MailboxProvider.Google));
    }
}
