using System.Net;
using System.Net.Sockets;
using System.Text;
using MailSync.Shared.Configuration;
using MailSync.Shared.Network;
using MailSync.Shared.Webhooks;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Webhooks;

/// <summary>
/// Posts signed deliveries. Receivers are named by tenants, so a name is resolved here and the socket goes only to a public
/// address (unless <c>MailSync:AllowPrivateImapHosts</c>, the rule of IMAP hosts): DNS cannot point a delivery at the
/// cluster's own network between a check and the connect. No redirects are followed.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient http;
    private readonly bool allowPrivate;

    public WebhookSender(IOptions<WebhookOptions> webhooks, IOptions<MailSyncOptions> mailSync)
    {
        allowPrivate = mailSync.Value.AllowPrivateImapHosts;
        http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // Never through a proxy (HTTPS_PROXY and the like): the connect callback would vet only the proxy's address.
            UseProxy = false,
            ConnectCallback = ConnectAsync,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            MaxConnectionsPerServer = 16,
        })
        { Timeout = webhooks.Value.Timeout };
    }

    public async Task<WebhookSendResult> SendAsync(
        string url, string id, long timestamp, string signature, string body, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Webhook-Id", id);
        request.Headers.Add("Webhook-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("Webhook-Signature", signature);
        request.Headers.UserAgent.ParseAdd("MailSync-Webhooks/1");
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var code = (int)response.StatusCode;
            return new WebhookSendResult(code is >= 200 and < 300, code,
                code is >= 200 and < 300 ? null : $"The receiver answered HTTP {code}.");
        }
        catch (HttpRequestException e) when (e.InnerException is HostNotAllowedException)
        {
            return new WebhookSendResult(false, null,
                "The receiver's host name points to a private network address; this service does not deliver there.");
        }
        catch (HttpRequestException e)
        {
            return new WebhookSendResult(false, null,
                e.InnerException is SocketException socket ? Words(socket.SocketErrorCode) : "The receiver could not be reached.");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(false, null, "The receiver did not answer in time.");
        }
    }

    private static string Words(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "The receiver refused the connection.",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "The receiver's host name could not be found.",
        SocketError.TimedOut => "The receiver did not answer in time.",
        _ => "The receiver could not be reached.",
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var usable = allowPrivate ? addresses : [.. addresses.Where(PublicAddress.Is)];
        if (usable.Length == 0) throw new HostNotAllowedException();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(usable, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>Every address of the receiver's name is private (and private hosts are not allowed).</summary>
    private sealed class HostNotAllowedException() : Exception("The receiver's address is not public.");
}
