using MailKit.Net.Imap;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>The SASL seam: logs a connected client in with whatever the provider needs (password, OAuth2 token).</summary>
public interface IMailboxAuthenticator
{
    Task AuthenticateAsync(ImapClient client, MailboxCredentials credentials, CancellationToken cancellationToken);
}
