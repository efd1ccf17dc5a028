namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>What went wrong in a connection or sync attempt (docs/design.md §3).</summary>
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

    /// <summary>The server's address is on a private network (loopback, RFC 1918, link-local) that this service does not reach.</summary>
    HostNotAllowed,

    /// <summary>A warning: one message could not be stored on the timeline and was skipped; syncing goes on.</summary>
    MessageNotStored,

    /// <summary>A warning: the mailbox has no Sent folder, so only received mail is synced.</summary>
    SentFolderMissing,

    /// <summary>A warning: attempts waited longer than a poll interval for a free IMAP connection of this service.</summary>
    SyncDelayed,

    /// <summary>Gmail refused XOAUTH2 even with an access token just refreshed: the grant is alive but gives no mail access.</summary>
    OAuthAccessRefused,

    /// <summary>A warning: the mailbox has more folders than MailSync:MaxFoldersPerMailbox; only the first ones are synced.</summary>
    TooManyFolders,

    /// <summary>The organisation's administrator must approve this app (Microsoft 365 admin consent) before it reads mail.</summary>
    OAuthAdminConsentRequired,
}
