using MailSync.Grains.Auth;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>
/// Passwords for custom IMAP and Google app passwords; the refresh token of Sign in with Google or Microsoft becomes an
/// access token (XOAUTH2 with the account's address).
/// </summary>
public sealed class MailboxAuthenticator(GoogleAccessTokens google, MicrosoftAccessTokens microsoft) : IMailboxAuthenticator
{
    public async Task<ImapLogin> PrepareAsync(
        MailboxCredentials credentials, Func<string, Task> secretRotated, CancellationToken cancellationToken) =>
        credentials.Provider switch
    {
        MailboxProvider.Google => new ImapLogin(credentials.Email, null, await google.GetAsync(credentials.Secret, cancellationToken)),
        MailboxProvider.Microsoft =>
            new ImapLogin(credentials.Email, null, await microsoft.GetAsync(credentials.Secret, secretRotated, cancellationToken)),
        _ => new ImapLogin(credentials.Username, credentials.Secret, null),
    };

    public async Task<ImapLogin?> AfterRefusalAsync(
        MailboxCredentials credentials, Func<string, Task> secretRotated, CancellationToken cancellationToken)
    {
        switch (credentials.Provider)
        {
            case MailboxProvider.Google:
                google.Forget(credentials.Secret);
                break;
            case MailboxProvider.Microsoft:
                microsoft.Forget(credentials.Secret);
                break;
            default:
                return null;
        }
        return await PrepareAsync(credentials, secretRotated, cancellationToken);
    }
}
