using MailKit;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailSync.IntegrationTests.Sync;

/// <summary>
/// A kept session frees OpenSSL's empty record buffers (~34 KB each), reached through private fields of MailKit and
/// SslStream: this fails when a MailKit or runtime upgrade moves them, instead of memory quietly growing by a third.
/// </summary>
public sealed class IdleTlsBuffersTests
{
    [Theory]
    [InlineData(ImapSecurity.Ssl)]
    [InlineData(ImapSecurity.StartTls)]
    public async Task A_tls_session_from_the_factory_frees_its_idle_buffers_and_still_works(ImapSecurity security)
    {
        var harness = new SyncHarness();
        var (user, password) = Dovecot.CreateUser("tlsbuf");
        var factory = new ImapSessionFactory(Microsoft.Extensions.Options.Options.Create(harness.Options), NullLogger<ImapSessionFactory>.Instance);

        using var client = await factory.OpenAsync(Dovecot.Credentials(user, password, security), new ImapLogin(user, password, null), CancellationToken.None);

        Assert.True(IdleTlsBuffers.AreReleased(client));
        // Buffers freed after each record are allocated again for the next: commands keep working.
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        await client.NoOpAsync();
        Assert.True(client.IsConnected);
    }
}
