using System.Net.Sockets;
using Google.Apis.Auth.OAuth2.Responses;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;
using System.Globalization;
using System.Text.RegularExpressions;
using MailSync.Shared.Google;
using MailSync.Shared.MicrosoftIdentity;

namespace MailSync.Grains.Sync;

/// <summary>Maps what MailKit and the network throw, and the server's own words, to the error codes of docs/design.md §3.</summary>
public static partial class ImapErrorClassifier
{
    /// <summary>
    /// As <see cref="Classify(Exception)"/>, for a mailbox of <paramref name="provider"/>: with Sign in with Google or
    /// Microsoft there is no password to be wrong, so a refused XOAUTH2 login (the sync engine has already retried it once
    /// with a freshly refreshed token) is <see cref="MailboxErrorCode.OAuthAccessRefused"/>.
    /// </summary>
    public static MailboxErrorCode Classify(Exception error, MailboxProvider provider)
    {
        var code = Classify(error);
        return provider is MailboxProvider.Google or MailboxProvider.Microsoft
            && code is MailboxErrorCode.AuthenticationFailed or MailboxErrorCode.AppPasswordRequired
            ? MailboxErrorCode.OAuthAccessRefused
            : code;
    }

    public static MailboxErrorCode Classify(Exception error) => error switch
    {
        // Google's token server: a revoked or expired grant needs the user; anything else is an outage we retry.
        TokenResponseException { Error.Error: "invalid_grant" } => MailboxErrorCode.OAuthTokenRevoked,
        TokenResponseException { Error.Error: "invalid_scope" } => MailboxErrorCode.OAuthScopeMissing,
        TokenResponseException or OAuthServerUnavailableException => MailboxErrorCode.OAuthServerUnavailable,
        // Microsoft's: an administrator must approve the app, or the grant is gone (expired, password changed, MFA).
        MicrosoftTokenException { AdminConsentRequired: true } => MailboxErrorCode.OAuthAdminConsentRequired,
        MicrosoftTokenException { GrantGone: true } => MailboxErrorCode.OAuthTokenRevoked,
        MicrosoftTokenException => MailboxErrorCode.OAuthServerUnavailable,
        HttpRequestException { InnerException: SocketException socket } => Classify(socket),
        HttpRequestException => MailboxErrorCode.ConnectionTimeout,
        AuthenticationException auth => FromServerText(auth.Message) ?? MailboxErrorCode.AuthenticationFailed,
        // A handshake that never completes is a silent server, not a certificate problem.
        ImapHostNotAllowedException => MailboxErrorCode.HostNotAllowed,
        SslHandshakeException { InnerException: IOException or TimeoutException or OperationCanceledException } =>
            MailboxErrorCode.ConnectionTimeout,
        SslHandshakeException => MailboxErrorCode.TlsFailure,
        SocketException socket => socket.SocketErrorCode switch
        {
            SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => MailboxErrorCode.HostNotFound,
            SocketError.ConnectionRefused => MailboxErrorCode.ConnectionRefused,
            SocketError.TimedOut => MailboxErrorCode.ConnectionTimeout,
            _ => MailboxErrorCode.ConnectionRefused,
        },
        OperationCanceledException or TimeoutException => MailboxErrorCode.ConnectionTimeout,
        FolderNotFoundException => MailboxErrorCode.FolderNotFound,
        ImapCommandException command => FromServerText(command.ResponseText ?? command.Message) ?? MailboxErrorCode.ProtocolError,
        ImapProtocolException => MailboxErrorCode.ProtocolError,
        IOException { InnerException: SocketException inner } => Classify(inner),
        IOException => MailboxErrorCode.ConnectionTimeout,
        _ => MailboxErrorCode.Unknown,
    };

    /// <summary>Gmail's (and other servers') response codes and wordings that mean something more specific.</summary>
    public static MailboxErrorCode? FromServerText(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (Has(text, "Application-specific password required")) return MailboxErrorCode.AppPasswordRequired;
        if (Has(text, "log in via your web browser") || Has(text, "[WEBALERT")) return MailboxErrorCode.WebLoginRequired;
        if (Has(text, "not enabled for IMAP") || Has(text, "User is authenticated but not connected"))
            return MailboxErrorCode.ImapDisabled;
        if (Has(text, "Request is throttled") || Has(text, "[OVERQUOTA]") || Has(text, "[UNAVAILABLE]") || Has(text, "[LIMIT]"))
            return MailboxErrorCode.ServerThrottled;
        if (Has(text, "[AUTHENTICATIONFAILED]") || Has(text, "[AUTHORIZATIONFAILED]")) return MailboxErrorCode.AuthenticationFailed;
        return null;
    }

    /// <summary>
    /// The wait a server asked for in its refusal, as Exchange Online words it ("Request is throttled. Suggested Backoff
    /// Time: 187 milliseconds"); null when it named none. At most an hour: the words come from the server.
    /// </summary>
    public static TimeSpan? SuggestedBackoff(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            var text = e is ImapCommandException command ? command.ResponseText ?? command.Message : e.Message;
            if (text is not null && BackoffPattern().Match(text) is { Success: true } match
                && long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
                return TimeSpan.FromMilliseconds(Math.Min(ms, (long)TimeSpan.FromHours(1).TotalMilliseconds));
        }
        return null;
    }

    [GeneratedRegex(@"Suggested Backoff Time:\s*(\d{1,12})\s*(?:ms|milli)", RegexOptions.IgnoreCase)]
    private static partial Regex BackoffPattern();

    private static bool Has(string text, string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);
}
