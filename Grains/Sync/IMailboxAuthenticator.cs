using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>
/// The SASL seam. Before each sync pass it prepares what the login needs, fresh: the password, or a Google access
/// token (refreshed when under 5 minutes remain).
/// </summary>
public interface IMailboxAuthenticator
{
    Task<ImapLogin> PrepareAsync(MailboxCredentials credentials, CancellationToken cancellationToken);
}

/// <summary>A password login, or an OAuth2 bearer login (XOAUTH2) when <see cref="AccessToken"/> is set.</summary>
public sealed record ImapLogin(string Username, string? Password, string? AccessToken)
{
    public override string ToString() => $"ImapLogin {{ Username = {Username}, Secret = *** }}";
}
