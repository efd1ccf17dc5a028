using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>
/// The SASL seam. Before each sync pass it prepares what the login needs, fresh: the password, or an access token of
/// Sign in with Google or Microsoft (refreshed when under 5 minutes remain). A Microsoft refresh hands back the next
/// refresh token: the <c>secretRotated</c> callback stores it before the login goes on.
/// </summary>
public interface IMailboxAuthenticator
{
    Task<ImapLogin> PrepareAsync(MailboxCredentials credentials, Func<string, Task> secretRotated, CancellationToken cancellationToken);

    /// <summary>
    /// The server refused the login <see cref="PrepareAsync"/> gave: a new login worth exactly one more try, or null when
    /// another try would only be refused again (a password is what it is). For a sign-in the cached access token is dropped
    /// and refreshed: the provider may have revoked it while it still looked valid here; a revoked grant then throws the
    /// token server's verdict.
    /// </summary>
    Task<ImapLogin?> AfterRefusalAsync(
        MailboxCredentials credentials, Func<string, Task> secretRotated, CancellationToken cancellationToken);
}

/// <summary>A password login, or an OAuth2 bearer login (XOAUTH2) when <see cref="AccessToken"/> is set.</summary>
public sealed record ImapLogin(string Username, string? Password, string? AccessToken)
{
    public override string ToString() => $"ImapLogin {{ Username = {Username}, Secret = *** }}";
}
