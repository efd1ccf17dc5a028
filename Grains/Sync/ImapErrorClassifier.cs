using System.Net.Sockets;
using Google.Apis.Auth.OAuth2.Responses;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Google;

namespace MailSync.Grains.Sync;

/// <summary>Maps what MailKit and the network throw, and the server's own words, to the error codes of docs/design.md §3.</summary>
public static class ImapErrorClassifier
{
    /// <summary>
    /// As <see cref="Classify(Exception)"/>, for a mailbox of <paramref name="provider"/>: with Sign in with Google there is no
    /// password to be wrong, so a refused XOAUTH2 login (the sync engine has already retried it once with a freshly
    /// refreshed token) is <see cref="MailboxErrorCode.OAuthAccessRefused"/>.
    /// </summary>
    public static MailboxErrorCode Classify(Exception error, MailboxProvider provider)
    {
        var code = Classify(error);
        return provider == MailboxProvider.Google && code is MailboxErrorCode.AuthenticationFailed or MailboxErrorCode.AppPasswordRequired
            ? MailboxErrorCode.OAuthAccessRefused
            : code;
    }

    public static MailboxErrorCode Classify(Exception error) => error switch
    {
        // Google's token server: a revoked or expired grant needs the user; anything else is an outage we retry.
        TokenResponseException { Error.Error: "invalid_grant" } => MailboxErrorCode.OAuthTokenRevoked,
        TokenResponseException { Error.Error: "invalid_scope" } => MailboxErrorCode.OAuthScopeMissing,
        TokenResponseException or OAuthServerUnavailableException => MailboxErrorCode.OAuthServerUnavailable,
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
        if (Has(text, "not enabled for IMAP")) return MailboxErrorCode.ImapDisabled;
        if (Has(text, "[OVERQUOTA]") || Has(text, "[UNAVAILABLE]") || Has(text, "[LIMIT]")) return MailboxErrorCode.ServerThrottled;
        if (Has(text, "[AUTHENTICATIONFAILED]") || Has(text, "[AUTHORIZATIONFAILED]")) return MailboxErrorCode.AuthenticationFailed;
        return null;
    }

    private static bool Has(string text, string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);
}
