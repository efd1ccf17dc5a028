namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>What went wrong in a connection or sync attempt (DESIGN.md §3).</summary>
public enum MailboxErrorCode
{
    Unknown,
    AuthenticationFailed,
    AppPasswordRequired,
    WebLoginRequired,
    ImapDisabled,
    OAuthTokenRevoked,
    OAuthScopeMissing,
    HostNotFound,
    ConnectionRefused,
    ConnectionTimeout,
    TlsFailure,
    FolderNotFound,
    ServerThrottled,
    ProtocolError,

    /// <summary>Google's token server is down or refusing us; not the user's doing, retried with back-off.</summary>
    OAuthServerUnavailable,
}
