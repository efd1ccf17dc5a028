using System.Net;
using MailKit.Net.Imap;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>
/// Username and password (custom IMAP, Google app passwords), in exactly one attempt: PLAIN when offered, else
/// LOGIN, else the IMAP LOGIN command. Trying every mechanism in turn would multiply failed logins, which servers
/// such as Gmail answer with lock-outs.
/// </summary>
public sealed class PasswordAuthenticator : IMailboxAuthenticator
{
    public Task AuthenticateAsync(ImapClient client, MailboxCredentials credentials, CancellationToken cancellationToken)
    {
        var credential = new NetworkCredential(credentials.Username, credentials.Secret);
        if (client.AuthenticationMechanisms.Contains("PLAIN"))
            return client.AuthenticateAsync(new SaslMechanismPlain(credential), cancellationToken);
        if (client.AuthenticationMechanisms.Contains("LOGIN"))
            return client.AuthenticateAsync(new SaslMechanismLogin(credential), cancellationToken);
        return client.AuthenticateAsync(credential, cancellationToken);
    }
}
