using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using MailKit.Net.Imap;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using MailSync.Shared.Network;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>Opens an authenticated MailKit session with the mailbox's security setting and certificate trust rules.</summary>
public sealed class ImapSessionFactory(IOptions<MailSyncOptions> options)
{
    private long logins;

    /// <summary>Successful logins so far: what kept sessions save (each is a TLS handshake and, on Dovecot, a forked process).</summary>
    public long Logins => Interlocked.Read(ref logins);

    /// <summary>
    /// Resolves the host, refuses non-public addresses unless allowed, and connects to a vetted address (so a DNS
    /// answer cannot change between the check and the connection); MailKit then speaks TLS with the host name.
    /// </summary>
    private static async Task<Socket> ConnectSocketAsync(ImapEndpoint imap, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(imap.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(imap.Host, cancellationToken);
        var usable = allowPrivate ? addresses : [.. addresses.Where(PublicAddress.Is)];
        if (usable.Length == 0)
            throw new ImapHostNotAllowedException(
                $"{imap.Host} resolves only to private or local addresses, which this service does not connect to.");
        SocketException? last = null;
        foreach (var address in usable)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, imap.Port), cancellationToken);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    /// <summary>
    /// Exactly one login attempt: XOAUTH2 with an access token; else PLAIN when offered, else LOGIN. Trying every
    /// mechanism in turn would multiply failed logins, which servers such as Gmail answer with lock-outs.
    /// </summary>
    private static SaslMechanism Mechanism(ImapClient client, ImapLogin login)
    {
        if (login.AccessToken is { } token) return new SaslMechanismOAuth2(login.Username, token);
        var credential = new NetworkCredential(login.Username, login.Password);
        return client.AuthenticationMechanisms.Contains("PLAIN") || !client.AuthenticationMechanisms.Contains("LOGIN")
            ? new SaslMechanismPlain(credential)
            : new SaslMechanismLogin(credential);
    }

    /// <summary>
    /// Throws <see cref="ImapHostNotAllowedException"/> for a port outside MailSync:AllowedImapPorts (whatever the stored
    /// credentials say: they may predate the list or have been edited behind the API) and
    /// <see cref="InsecureImapRefusedException"/> for security "none" unless insecure IMAP is allowed, before any connection.
    /// </summary>
    public async Task<BoundedImapClient> OpenAsync(MailboxCredentials credentials, ImapLogin login, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var imap = credentials.Imap;
        if (!settings.AllowsImapPort(imap.Port))
            throw new ImapHostNotAllowedException(
                $"The port given for {imap.Host} is not an IMAP port this service connects to.", portRefused: true);
        if (imap.Security == ImapSecurity.None && !settings.AllowInsecureImap) throw new InsecureImapRefusedException();

        var client = new BoundedImapClient
        {
            Timeout = (int)settings.ImapTimeout.TotalMilliseconds,
            ServerCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None ||
                (certificate is not null && settings.TrustedCertificateThumbprints.Contains(
                    certificate.GetCertHashString(HashAlgorithmName.SHA256), StringComparer.OrdinalIgnoreCase)),
        };
        try
        {
            await ConnectAndLogInAsync(client, imap, login, settings, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Connects to a vetted address and logs in, both within MailSync:ImapTimeout (a <see cref="TimeoutException"/> past it).
    /// </summary>
    private async Task ConnectAndLogInAsync(
        ImapClient client, ImapEndpoint imap, ImapLogin login, MailSyncOptions settings, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.ImapTimeout);
        var socketOptions = imap.Security switch
        {
            ImapSecurity.Ssl => SecureSocketOptions.SslOnConnect,
            ImapSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        try
        {
            var socket = await ConnectSocketAsync(imap, settings.AllowPrivateImapHosts, deadline.Token);
            try
            {
                await client.ConnectAsync(socket, imap.Host, imap.Port, socketOptions, deadline.Token);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            await client.AuthenticateAsync(Mechanism(client, login), deadline.Token);
            Interlocked.Increment(ref logins);
            MailSyncMetrics.Login();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The server did not complete connection and login within {settings.ImapTimeout.TotalSeconds:0.#} s.");
        }
    }
}
