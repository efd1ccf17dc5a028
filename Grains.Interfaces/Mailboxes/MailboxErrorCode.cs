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
}
