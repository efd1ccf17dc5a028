using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>For every error code: what went wrong in plain words, and how best to fix it.</summary>
public static class ErrorCatalog
{
    public static (string Message, string Fix) Describe(MailboxErrorCode code) => code switch
    {
        MailboxErrorCode.AuthenticationFailed => ("The mail server rejected the username or password.",
            "Check the username and password and reconnect the mailbox with the correct ones."),
        MailboxErrorCode.AppPasswordRequired => ("Google requires an app password for this account.",
            "Create an app password at myaccount.google.com/apppasswords (2-Step Verification must be on), or use Sign in with Google."),
        MailboxErrorCode.WebLoginRequired => ("Google blocked the sign-in until you log in through a web browser.",
            "Sign in to Gmail in a browser, confirm any security prompt, then retry the sync."),
        MailboxErrorCode.ImapDisabled => ("IMAP access is turned off for this mailbox.",
            "Turn on IMAP in the mailbox settings (Gmail: Settings → Forwarding and POP/IMAP → Enable IMAP), then retry."),
        MailboxErrorCode.OAuthTokenRevoked => ("Google access was revoked or has expired.",
            "Sign in with Google again to reconnect the mailbox."),
        MailboxErrorCode.OAuthScopeMissing => ("Google did not grant access to the mailbox.",
            "Sign in with Google again and allow access to Gmail when asked."),
        MailboxErrorCode.HostNotFound => ("The mail server's name could not be found.",
            "Check the IMAP server name for typos, then reconnect the mailbox."),
        MailboxErrorCode.ConnectionRefused => ("The mail server refused the connection.",
            "Check the IMAP server name and port, and that the server accepts connections from outside."),
        MailboxErrorCode.ConnectionTimeout => ("The mail server did not answer in time.",
            "This is often temporary; we keep retrying. If it persists, check the server name, port and any firewall."),
        MailboxErrorCode.TlsFailure => ("A secure connection to the mail server could not be established.",
            "Check the security setting (SSL/TLS on port 993, STARTTLS on port 143) and that the server's certificate is valid."),
        MailboxErrorCode.FolderNotFound => ("A folder needed for syncing (Inbox or Sent) was not found.",
            "Make sure the mailbox has an Inbox and a Sent folder and that they are visible over IMAP."),
        MailboxErrorCode.ServerThrottled => ("The mail server is limiting access right now.",
            "Nothing to do: we retry automatically later. Frequent throttling can mean the mailbox is over its quota."),
        MailboxErrorCode.HostNotAllowed => ("The mail server's name points to a private network address, or its port is not an IMAP port, and this service does not connect there.",
            "Use the public host name of your IMAP server, the one that works from outside your network, and its IMAP port (993 for SSL/TLS, 143 for STARTTLS)."),
        MailboxErrorCode.OAuthServerUnavailable => ("Google's sign-in service did not answer.",
            "Nothing to do: this is on Google's side and we retry automatically. Sign in again only if it lasts."),
        MailboxErrorCode.MessageNotStored => ("One email could not be added to the lead's timeline and was skipped; syncing goes on.",
            "Nothing to do: the rest of the mailbox keeps syncing. The details below say which email it was."),
        MailboxErrorCode.SentFolderMissing => ("No Sent folder was found, so only received emails are synced.",
            "If your mail server has a Sent folder, mark it as the Sent folder in your mail program or name it \"Sent\", then sync now."),
        MailboxErrorCode.SyncDelayed => ("Syncing this mailbox was delayed because the service was busy with other mailboxes.",
            "Nothing to do: the sync runs as soon as a connection is free. Contact support if this keeps happening."),
        MailboxErrorCode.ProtocolError => ("The mail server answered in a way we did not expect.",
            "We keep retrying. If it persists, contact support with the details below."),
        _ => ("Syncing failed for an unexpected reason.",
            "We keep retrying. If it persists, contact support with the details below."),
    };
}
