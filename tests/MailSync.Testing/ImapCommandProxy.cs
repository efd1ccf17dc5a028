using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailSync.Testing;

/// <summary>
/// A relay on 127.0.0.1 in front of the test Dovecot's plain IMAP port that records every command clients send (the verb
/// after the tag, "UID FETCH" as "UID FETCH"), so a test can count a poll's round trips. With
/// <c>hideListStatus</c> it strips LIST-STATUS from the server's capabilities: Dovecot then stands in for a
/// server without RFC 5819, which must be asked STATUS folder by folder.
/// </summary>
public sealed class ImapCommandProxy : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<string> commands = new();
    private readonly int targetPort;
    private readonly bool hideListStatus;
    private readonly Task accepting;

    /// <summary><paramref name="listenPort"/> 0: any free port; a fixed one lets a later proxy stand in for a stopped one.</summary>
    public ImapCommandProxy(int targetPort, bool hideListStatus = false, int listenPort = 0)
    {
        listener = new TcpListener(IPAddress.Loopback, listenPort);
        this.targetPort = targetPort;
        this.hideListStatus = hideListStatus;
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The commands sent since the last call, in order; the record starts again empty.</summary>
    public IReadOnlyList<string> TakeCommands()
    {
        List<string> taken = [];
        while (commands.TryDequeue(out var command)) taken.Add(command);
        return taken;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = RelayAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                await Task.WhenAny(
                    CopyLinesAsync(client.GetStream(), server.GetStream(), fromClient: true),
                    CopyLinesAsync(server.GetStream(), client.GetStream(), fromClient: false));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Copies line by line (IMAP literals pass through as lines too, harmlessly for counting and for the rewrite).</summary>
    private async Task CopyLinesAsync(Stream from, Stream to, bool fromClient)
    {
        var reader = new StreamReader(from, Encoding.Latin1, detectEncodingFromByteOrderMarks: false);
        var buffer = new char[64 * 1024];
        var pending = new StringBuilder();
        while (true)
        {
            var read = await reader.ReadAsync(buffer, stop.Token);
            if (read == 0) return;
            pending.Append(buffer, 0, read);
            var text = pending.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0 && fromClient) continue; // a command is recorded whole; server bytes (literals) flow as they come
            var complete = end < 0 ? text : text[..(end + 1)];
            pending.Clear().Append(end < 0 ? "" : text[(end + 1)..]);
            if (fromClient) Record(complete);
            else if (hideListStatus) complete = complete.Replace(" LIST-STATUS", "", StringComparison.Ordinal);
            await to.WriteAsync(Encoding.Latin1.GetBytes(complete), stop.Token);
            await to.FlushAsync(stop.Token);
        }
    }

    private void Record(string lines)
    {
        foreach (var line in lines.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 4);
            if (parts.Length < 2 || parts[0] is "DONE" || line.StartsWith('*')) continue;
            commands.Enqueue(parts[1].Equals("UID", StringComparison.OrdinalIgnoreCase) && parts.Length > 2
                ? $"UID {parts[2].ToUpperInvariant()}"
                : parts[1].ToUpperInvariant());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        stop.Dispose();
    }
}
