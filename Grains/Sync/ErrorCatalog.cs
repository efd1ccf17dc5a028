using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>
/// For every error code and provider: what went wrong in plain words, and how best to fix it, in the terms of the way
/// the mailbox signs in. A Sign in with Google user never reads about a password (there is none to check); an app-password
/// user is told where Google makes a new app password; a custom IMAP user reads about that server's username and password.
/// Gmail's server is not the user's to fix, so network failures there ask nothing of them.
/// </summary>
public static class ErrorCatalog
{
    public const string AppPasswordPage = "https://myaccount.google.com/apppasswords";

    private const string SignInAgain = "Sign in with Google again to reconnect the mailbox.";
    /// <summary>For a provider's own server (Gmail, Outlook) that could not be reached: not the user's to fix.</summary>
    private const string NothingToDoRetrying = "Nothing to do: we retry automatically. Contact support if it lasts more than a day.";
    private const string UsuallyTemporary = "Nothing to do: this is usually temporary and we retry automatically.";
    private const string GmailImapSettings = "Gmail: Settings → See all settings → Forwarding and POP/IMAP → Enable IMAP";
    private const string GmailLabels = "Gmail: Settings → See all settings → Labels";
    private const string SignInWithMicrosoftAgain = "Sign in with Microsoft again to reconnect the mailbox.";
    private const string ExchangeImapSetting =
        "Microsoft 365 admin center → Users → Active users → the user → Mail → Manage email apps → IMAP";

    public static (string Message, string Fix) Describe(MailboxErrorCode code, MailboxProvider provider) => provider switch
    {
        MailboxProvider.Google => ForGoogleSignIn(code),
        MailboxProvider.GoogleAppPassword => ForAppPassword(code),
        MailboxProvider.Microsoft => ForMicrosoft(code),
        _ => ForCustomServer(code),
    };

    private static (string, string) ForGoogleSignIn(MailboxErrorCode code) => code switch
    {
        // XOAUTH2 is refused only after a fresh token was tried too (OAuthAccessRefused); this is for entries logged before that.
        MailboxErrorCode.AuthenticationFailed or MailboxErrorCode.AppPasswordRequired =>
            ("Gmail did not accept this service's Google sign-in for the mailbox.", SignInAgain),
        MailboxErrorCode.ImapDisabled => ("IMAP access is turned off in Gmail.",
            $"Turn on IMAP ({GmailImapSettings}), then sync now. With Google Workspace, your administrator may have to allow IMAP."),
        MailboxErrorCode.OAuthAccessRefused => ("Gmail refused the access Google granted to this service.",
            "Sign in with Google again with this mailbox's Google account and allow access to Gmail. "
                + "If it keeps failing, turn on IMAP in Gmail and check that your Google Workspace administrator allows this app; "
                + $"meanwhile you can connect with a Google app password ({AppPasswordPage})."),
        MailboxErrorCode.OAuthServerUnavailable => ("Google's sign-in service did not answer.",
            "Nothing to do: this is on Google's side and we retry automatically. If it lasts more than a day, connect with a "
                + $"Google app password meanwhile ({AppPasswordPage})."),
        _ => ForGmail(code),
    };

    /// <summary>
    /// Sign in with Microsoft (Microsoft 365, Outlook.com): no password to check and none to fall back on (Microsoft turned
    /// basic authentication off for IMAP), so the fixes say what to check in Microsoft's own terms.
    /// </summary>
    private static (string, string) ForMicrosoft(MailboxErrorCode code) => code switch
    {
        MailboxErrorCode.AuthenticationFailed or MailboxErrorCode.AppPasswordRequired =>
            ("Outlook did not accept this service's Microsoft sign-in for the mailbox.", SignInWithMicrosoftAgain),
        MailboxErrorCode.OAuthTokenRevoked => ("Microsoft sign-in for this mailbox has expired or was revoked, for example after "
                + "a password change, a new sign-in requirement such as multi-factor authentication, or months without use.",
            SignInWithMicrosoftAgain),
        MailboxErrorCode.OAuthScopeMissing => ("Microsoft did not grant access to the mailbox.",
            "Sign in with Microsoft again and accept the permission to access your mailbox."),
        MailboxErrorCode.OAuthAdminConsentRequired => ("Your Microsoft 365 administrator must approve this app before it can read "
                + "the mailbox.",
            "Ask your Microsoft 365 administrator to approve Mail Sync for your organisation: they open the admin consent link in "
                + "the details below, sign in as an administrator and accept the permission \"Access mailboxes via IMAP\" "
                + "(IMAP.AccessAsUser.All). Then sign in with Microsoft again."),
        MailboxErrorCode.OAuthAccessRefused => ("Outlook refused the access Microsoft granted to this service.",
            "Sign in with Microsoft again with this mailbox's account. If it keeps failing, ask your Microsoft 365 administrator to "
                + $"turn on IMAP for the mailbox ({ExchangeImapSetting}) and to check that Mail Sync is allowed in Microsoft Entra "
                + "(Enterprise applications). There is no password to fall back on: Microsoft turned password sign-in off for IMAP."),
        MailboxErrorCode.OAuthServerUnavailable => ("Microsoft's sign-in service did not answer.",
            "Nothing to do: this is on Microsoft's side and we retry automatically. If it lasts, check Microsoft's service status "
                + "(Service health in the Microsoft 365 admin center); there is no password to fall back on for Microsoft mailboxes."),
        MailboxErrorCode.ImapDisabled => ("IMAP is turned off for this mailbox.",
            $"Ask your Microsoft 365 administrator to turn IMAP on for it ({ExchangeImapSetting}); with Outlook.com, turn on "
                + "Settings → Mail → Forwarding and IMAP → Let devices and apps use IMAP. Then sync now."),
        MailboxErrorCode.ServerThrottled => ("Microsoft is limiting access to this mailbox for a moment.",
            "Nothing to do: we wait as long as Microsoft asks, then carry on. This is not an error of your mailbox."),
        MailboxErrorCode.WebLoginRequired => ("Microsoft blocked the sign-in until you log in on the web.",
            "Sign in to Outlook on the web, confirm any security prompt, then sync now."),
        MailboxErrorCode.HostNotFound or MailboxErrorCode.HostNotAllowed or MailboxErrorCode.ConnectionRefused
            or MailboxErrorCode.TlsFailure => ("Microsoft's mail server could not be reached.", NothingToDoRetrying),
        MailboxErrorCode.ConnectionTimeout => ("Microsoft's mail server did not answer in time.", UsuallyTemporary),
        _ => ForCustomServer(code),
    };

    private static (string, string) ForAppPassword(MailboxErrorCode code) => code switch
    {
        MailboxErrorCode.AuthenticationFailed => ("Gmail rejected the app password.",
            $"Make a new app password in your Google account at {AppPasswordPage} (2-Step Verification must be on) "
                + "and reconnect the mailbox with it; your usual Google password does not work here. Or use Sign in with Google."),
        MailboxErrorCode.AppPasswordRequired => ("Google asks for an app password, not the account's usual password.",
            $"Make an app password in your Google account at {AppPasswordPage} (2-Step Verification must be on) "
                + "and reconnect the mailbox with it, or use Sign in with Google."),
        MailboxErrorCode.ImapDisabled => ("IMAP access is turned off in Gmail.",
            $"Turn on IMAP ({GmailImapSettings}), then sync now. With Google Workspace, your administrator may have to allow IMAP."),
        _ => ForGmail(code),
    };

    /// <summary>Both Google providers talk to Gmail's own IMAP server.</summary>
    private static (string, string) ForGmail(MailboxErrorCode code) => code switch
    {
        MailboxErrorCode.WebLoginRequired => ("Google blocked the sign-in until you log in through a web browser.",
            "Sign in to Gmail in a browser, confirm any security prompt, then sync now."),
        MailboxErrorCode.HostNotFound => ("Gmail's mail server could not be found.", NothingToDoRetrying),
        MailboxErrorCode.HostNotAllowed => ("Gmail's mail server could not be reached from this service.", NothingToDoRetrying),
        MailboxErrorCode.ConnectionRefused => ("Gmail's mail server refused the connection.", NothingToDoRetrying),
        MailboxErrorCode.ConnectionTimeout => ("Gmail's mail server did not answer in time.", UsuallyTemporary),
        MailboxErrorCode.TlsFailure => ("A secure connection to Gmail's mail server could not be established.", NothingToDoRetrying),
        MailboxErrorCode.FolderNotFound => ("A folder needed for syncing (Inbox or Sent Mail) is not visible over IMAP.",
            $"Tick \"Show in IMAP\" for Inbox and Sent Mail ({GmailLabels}), then sync now."),
        MailboxErrorCode.ServerThrottled => ("Gmail is limiting access to this mailbox right now.",
            "Nothing to do: we retry automatically later. "
                + "Frequent limits can mean the mailbox is over its Google storage or bandwidth quota."),
        MailboxErrorCode.SentFolderMissing => ("No Sent Mail folder is visible over IMAP, so only received emails are synced.",
            $"Tick \"Show in IMAP\" for Sent Mail ({GmailLabels}), then sync now."),
        _ => Common(code),
    };

    private static (string, string) ForCustomServer(MailboxErrorCode code) => code switch
    {
        MailboxErrorCode.AuthenticationFailed => ("The mail server rejected the username or password.",
            "Check the username and password you use for this mail server, then reconnect the mailbox with the correct ones."),
        MailboxErrorCode.AppPasswordRequired => ("Google requires an app password for this account.",
            $"Make an app password in your Google account at {AppPasswordPage} (2-Step Verification must be on) "
                + "and reconnect with it, or use Sign in with Google."),
        MailboxErrorCode.WebLoginRequired => ("The mail server blocked the sign-in until you log in through its web page.",
            "Sign in to your webmail in a browser, confirm any security prompt, then sync now."),
        MailboxErrorCode.ImapDisabled => ("IMAP access is turned off for this mailbox.",
            "Turn on IMAP access in your mail provider's settings (or ask its administrator to), then sync now."),
        MailboxErrorCode.HostNotFound => ("The mail server's name could not be found.",
            "Check the IMAP server name for typos, then reconnect the mailbox."),
        MailboxErrorCode.HostNotAllowed => ("The mail server's name points to a private network address, "
                + "or its port is not an IMAP port, and this service does not connect there.",
            "Use the public host name of your IMAP server, the one that works from outside your network, "
                + "and its IMAP port (993 for SSL/TLS, 143 for STARTTLS)."),
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
        MailboxErrorCode.SentFolderMissing => ("No Sent folder was found, so only received emails are synced.",
            "If your mail server has a Sent folder, mark it as the Sent folder in your mail program or name it \"Sent\", then sync now."),
        _ => Common(code),
    };

    /// <summary>The same words whichever way the mailbox signs in.</summary>
    private static (string, string) Common(MailboxErrorCode code) => code switch
    {
        MailboxErrorCode.OAuthTokenRevoked => ("Google access was revoked or has expired.", SignInAgain),
        MailboxErrorCode.OAuthScopeMissing => ("Google did not grant access to the mailbox.",
            "Sign in with Google again and allow access to Gmail when asked."),
        MailboxErrorCode.OAuthAccessRefused => ("Gmail refused the access Google granted to this service.",
            "Sign in with Google again with this mailbox's Google account and allow access to Gmail. "
                + "If it keeps failing, turn on IMAP in Gmail and check that your Google Workspace administrator allows this app."),
        MailboxErrorCode.OAuthServerUnavailable => ("Google's sign-in service did not answer.",
            "Nothing to do: this is on Google's side and we retry automatically. Sign in again only if it lasts."),
        MailboxErrorCode.MessageNotStored => ("One email could not be added to the lead's timeline and was skipped; syncing goes on.",
            "Nothing to do: the rest of the mailbox keeps syncing. The details below say which email it was."),
        MailboxErrorCode.SyncDelayed => ("Syncing this mailbox was delayed because the service was busy with other mailboxes.",
            "Nothing to do: the sync runs as soon as a connection is free. Contact support if this keeps happening."),
        MailboxErrorCode.TooManyFolders => ("This mailbox has more folders than are synced; emails in the others are not recorded.",
            "Inbox, Sent, archive folders and then folders in alphabetical order are synced. Merge or remove folders you no longer "
                + "need, or keep lead emails in the folders listed first. The details below give the limit."),
        MailboxErrorCode.ProtocolError => ("The mail server answered in a way we did not expect.",
            "We keep retrying. If it persists, contact support with the details below."),
        _ => ("Syncing failed for an unexpected reason.",
            "We keep retrying. If it persists, contact support with the details below."),
    };
}
