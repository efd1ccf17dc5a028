using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailSync.Testing;

/// <summary>
/// A misbehaving IMAP server on 127.0.0.1 for what Dovecot cannot show. <see cref="Trickling"/> greets, accepts any
/// LOGIN or AUTHENTICATE and lists INBOX, then answers every other command (opening the folder first) with one untagged line per interval and never completes it (each read
/// arrives well within a client's read timeout). <see cref="Blackhole"/> accepts connections and never says a word.
/// <see cref="Refusing"/> logs anyone in (XOAUTH2 too), lists INBOX, and refuses every other command with the given words,
/// as Exchange Online does when IMAP is off for a mailbox or it throttles.
/// </summary>
public sealed class HostileImapServer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly TimeSpan? trickleEvery;
    private readonly string? refusal;
    private readonly bool hugeSearch;
    private readonly bool hugeHeaders;
    private readonly Task accepting;
    private int connections;
    private long headerBytesSent;

    private HostileImapServer(TimeSpan? trickleEvery, string? refusal = null, bool hugeSearch = false, bool hugeHeaders = false)
    {
        this.trickleEvery = trickleEvery;
        this.refusal = refusal;
        this.hugeSearch = hugeSearch;
        this.hugeHeaders = hugeHeaders;
        listener.Start();
        accepting = AcceptAsync();
    }

    public static HostileImapServer Trickling(TimeSpan every) => new(every);

    public static HostileImapServer Blackhole() => new(null);

    /// <summary>
    /// Opens INBOX (<see cref="HugeSearchMessages"/> messages, it says: more than a fetch batch, so a client searches) and
    /// answers every UID SEARCH with every UID there could be (<c>* ESEARCH … UID ALL 1:4294967294</c>), as a hostile server
    /// would to exhaust a client's memory.
    /// </summary>
    public static HostileImapServer HugeSearch() => new(TimeSpan.FromDays(1), hugeSearch: true);

    /// <summary>
    /// Opens INBOX (<see cref="HugeHeaderMessages"/> messages from lee@lead.example, found by any search) and answers a
    /// FETCH with <see cref="HugeHeaderBytes"/> of header fields per message, as a hostile server would to exhaust a
    /// client's memory (512 MB in all).
    /// </summary>
    public static HostileImapServer HugeHeaders() => new(TimeSpan.FromDays(1), hugeHeaders: true);

    public const int HugeSearchMessages = 3_000;

    public const int HugeHeaderMessages = 64;

    public const int HugeHeaderBytes = 8 * 1024 * 1024;

    /// <summary>One header field that never ends, made once (the test measures what the client allocates).</summary>
    private static readonly byte[] HugeHeader = MakeHugeHeader();

    private static byte[] MakeHugeHeader()
    {
        var header = new byte[HugeHeaderBytes];
        Array.Fill(header, (byte)'a');
        var first = "From: lee@lead.example\r\nX-Filler: "u8;
        first.CopyTo(header);
        "\r\n\r\n"u8.CopyTo(header.AsSpan(HugeHeaderBytes - 4));
        return header;
    }

    /// <summary>Refuses every command but the login and LIST with <c>NO <paramref name="words"/></c>.</summary>
    public static HostileImapServer Refusing(string words) => new(TimeSpan.FromDays(1), words);

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Header bytes of <see cref="HugeHeaders"/> the client took before it hung up (what it had to read).</summary>
    public long HeaderBytesSent => Interlocked.Read(ref headerBytesSent);

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref connections);

    private async Task AcceptAsync()
    {
        var clients = new List<Task>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                clients.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
        await Task.WhenAll(clients);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            if (trickleEvery is not { } every)
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
                return;
            }
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\r\n" };
            var capabilities = hugeSearch || hugeHeaders ? "IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 ESEARCH" : "IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2";
            await writer.WriteLineAsync($"* OK [CAPABILITY {capabilities}] hostile test server ready");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var parts = line.Split(' ', 3);
                var (tag, command) = (parts[0], parts.Length > 1 ? parts[1].ToUpperInvariant() : "");
                if (command == "CAPABILITY")
                {
                    await writer.WriteLineAsync($"* CAPABILITY {capabilities}");
                    await writer.WriteLineAsync($"{tag} OK CAPABILITY completed");
                }
                else if (command == "LOGIN")
                {
                    await writer.WriteLineAsync($"{tag} OK [CAPABILITY {capabilities}] LOGIN completed");
                }
                else if (command == "AUTHENTICATE")
                {
                    if (line.Split(' ').Length < 4)
                    {
                        await writer.WriteLineAsync("+ ");
                        await reader.ReadLineAsync(stop.Token); // the credentials, whatever they are
                    }
                    await writer.WriteLineAsync($"{tag} OK [CAPABILITY {capabilities}] AUTHENTICATE completed");
                }
                else if (command == "LIST")
                {
                    if (line.Contains("INBOX", StringComparison.OrdinalIgnoreCase) || hugeSearch || hugeHeaders)
                        await writer.WriteLineAsync("* LIST (\\HasNoChildren) \"/\" INBOX");
                    await writer.WriteLineAsync($"{tag} OK LIST completed");
                }
                else if (hugeSearch || hugeHeaders)
                {
                    await AnswerHostileMailboxAsync(writer, stream, tag, line);
                }
                else if (refusal is not null)
                {
                    await writer.WriteLineAsync($"{tag} NO {refusal}");
                }
                else
                {
                    while (true)
                    {
                        await Task.Delay(every, stop.Token);
                        await writer.WriteLineAsync("* OK still working on it");
                    }
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task AnswerHostileMailboxAsync(StreamWriter writer, Stream stream, string tag, string line)
    {
        var words = line.ToUpperInvariant();
        var (count, next) = hugeSearch ? (HugeSearchMessages, 4294967295u) : (HugeHeaderMessages, HugeHeaderMessages + 1u);
        if (words.Contains(" SELECT ", StringComparison.Ordinal) || words.Contains(" EXAMINE ", StringComparison.Ordinal))
        {
            await writer.WriteLineAsync($"* {count} EXISTS");
            await writer.WriteLineAsync("* OK [UIDVALIDITY 7] UIDs valid");
            await writer.WriteLineAsync($"* OK [UIDNEXT {next}] next");
            await writer.WriteLineAsync($"{tag} OK [READ-ONLY] opened");
        }
        else if (words.Contains(" STATUS ", StringComparison.Ordinal))
        {
            await writer.WriteLineAsync($"* STATUS INBOX (MESSAGES {count} UIDNEXT {next} UIDVALIDITY 7 UNSEEN 0)");
            await writer.WriteLineAsync($"{tag} OK STATUS completed");
        }
        else if (words.Contains(" SEARCH ", StringComparison.Ordinal))
        {
            await writer.WriteLineAsync($"* ESEARCH (TAG \"{tag}\") UID ALL 1:{(hugeSearch ? 4294967294 : count)}");
            await writer.WriteLineAsync($"{tag} OK SEARCH completed");
        }
        else if (hugeHeaders && words.Contains(" FETCH ", StringComparison.Ordinal))
        {
            // The section asked for, echoed as BODY[…] with a literal of HugeHeaderBytes: one header field that never ends.
            var start = line.IndexOf("BODY.PEEK[", StringComparison.OrdinalIgnoreCase) + "BODY.PEEK[".Length;
            var section = line[start..line.IndexOf(']', start)];
            for (var uid = 1; uid <= count; uid++)
            {
                await writer.WriteAsync($"* {uid} FETCH (UID {uid} FLAGS () INTERNALDATE \"01-Dec-2026 10:00:00 +0000\" ");
                await writer.WriteAsync($"BODY[{section}] {{{HugeHeader.Length}}}\r\n");
                await stream.WriteAsync(HugeHeader, stop.Token);
                Interlocked.Add(ref headerBytesSent, HugeHeader.Length);
                await writer.WriteLineAsync(")");
            }
            await writer.WriteLineAsync($"{tag} OK FETCH completed");
        }
        else
        {
            await writer.WriteLineAsync($"{tag} OK done");
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
