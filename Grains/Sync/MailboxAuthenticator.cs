using MailSync.Grains.Auth;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>Passwords for custom IMAP and Google app passwords; Google sign-in's refresh token becomes an access token.</summary>
public sealed class MailboxAuthenticator(GoogleAccessTokens google) : IMailboxAuthenticator
{
    public async Task<ImapLogin> PrepareAsync(MailboxCredentials credentials, CancellationToken cancellationToken) =>
        credentials.Provider == MailboxProvider.Google
            ? new ImapLogin(credentials.Email, null, await google.GetAsync(credentials.Secret, cancellationToken))
            : new ImapLogin(credentials.Username, credentials.Secret, null);

    public async Task<ImapLogin?> AfterRefusalAsync(MailboxCredentials credentials, CancellationToken cancellationToken)
    {
        if (credentials.Provider != MailboxProvider.Google) return null;
        google.Forget(credentials.Secret);
        return await PrepareAsync(credentials, cancellationToken);
    }
}
