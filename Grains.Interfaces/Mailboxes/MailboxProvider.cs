namespace MailSync.Grains.Interfaces.Mailboxes;

public enum MailboxProvider
{
    /// <summary>Sign in with Google: OAuth refresh token, IMAP XOAUTH2.</summary>
    Google,

    /// <summary>Gmail IMAP with an application-specific password.</summary>
    GoogleAppPassword,

    /// <summary>Any IMAP server with a username and password.</summary>
    Custom,

    /// <summary>Sign in with Microsoft (Microsoft 365, Outlook.com): a rotating OAuth refresh token, IMAP XOAUTH2.</summary>
    Microsoft,
}
