using System.Net;
using System.Net.Sockets;

namespace MailSync.Testing;

/// <summary>
/// A TCP relay on 127.0.0.1 in front of a real server, to take the server away as an outage would (every connection
/// reset, new ones refused) and bring it back with all its data, without stopping the server itself.
/// </summary>
public sealed class OutageProxy : IAsyncDisposable
{
    private readonly int targetPort;
    private readonly Lock gate = new();
    private readonly List<TcpClient> open = [];
    private TcpListener? listener;
    private Task accepting = Task.CompletedTask;

    public OutageProxy(int targetPort)
    {
        this.targetPort = targetPort;
        Port = FreePort.Next();
        Restore();
    }

    public int Port { get; }

    /// <summary>The server is gone: open connections are reset and new ones refused.</summary>
    public async Task CutAsync()
    {
        TcpListener? stopping;
        List<TcpClient> connections;
        lock (gate)
        {
            (stopping, listener) = (listener, null);
            connections = [.. open];
            open.Clear();
        }
        stopping?.Stop();
        foreach (var connection in connections)
        {
            try
            {
                if (connection.Client is { } socket) socket.LingerState = new LingerOption(true, 0); // RST, as a dead server gives
            }
            catch (ObjectDisposedException)
            {
            }
            connection.Dispose();
        }
        await accepting;
    }

    /// <summary>The server is back, with everything it held.</summary>
    public void Restore()
    {
        var started = new TcpListener(IPAddress.Loopback, Port);
        started.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        started.Start();
        lock (gate) listener = started;
        accepting = AcceptAsync(started);
    }

    private async Task AcceptAsync(TcpListener from)
    {
        try
        {
            while (true)
            {
                var client = await from.AcceptTcpClientAsync();
                var server = new TcpClient();
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, targetPort);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    server.Dispose();
                    continue;
                }
                lock (gate)
                {
                    if (listener != from)
                    {
                        client.Dispose();
                        server.Dispose();
                        return;
                    }
                    open.Add(client);
                    open.Add(server);
                }
                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // The listener was stopped.
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await CutAsync();
}
