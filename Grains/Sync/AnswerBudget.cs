using MailKit;

namespace MailSync.Grains.Sync;

/// <summary>
/// What a server may send, counted as MailKit reads it (it reports every read and write to its protocol logger, after
/// TLS): the bytes of the answer to one command (a command starts when the client writes), and the size of each literal,
/// judged from its <c>{N}</c> before a byte of it is read. Any <c>{N}</c> or <c>{N+}</c> past the literal limit is refused
/// wherever it stands (MailKit is lenient about what follows the brace, and a marker must not hide inside text taken for
/// a literal); only a marker ending its line starts a literal to step over. Past either the read fails with
/// <see cref="ImapAnswerTooLargeException"/> and MailKit drops the connection, so whatever a server sends (8 MB header
/// literals, a line of a billion atoms, an endless IDLE stream) costs this mailbox a refusal, never the silo its memory.
/// </summary>
public sealed class AnswerBudget : IProtocolLogger
{
    /// <summary>Any answer but a fetch's: a LIST of thousands of folders or a SEARCH of a million UIDs is a few MB.</summary>
    public const long DefaultBytes = 16L * 1024 * 1024;

    /// <summary>
    /// One literal (the header fields of one message): a few KB, tens of KB for an all-staff mail's recipients. MimeKit
    /// grows its header buffer by what each read brings, so a header's parse costs its size squared over 8 KB: kept small.
    /// </summary>
    public const long MaxLiteralBytes = 256L * 1024;

    /// <summary>The header fields a fetch may bring per message on average.</summary>
    public const long HeaderBytesPerMessage = 64L * 1024;

    /// <summary>What a fetch of a few messages may always bring.</summary>
    public const long MinFetchBytes = 1024L * 1024;

    /// <summary>The most one fetch may bring whatever its size: what a silo holds of one mailbox's batch.</summary>
    public const long MaxFetchBytes = 32L * 1024 * 1024;

    private const string AnyAnswer = "one answer";

    private long limit = DefaultBytes;
    private string answer = AnyAnswer;
    private string? advice;
    private long received;

    // Where the server's bytes are: inside a literal (its bytes still to come) or on a line, and maybe in a "{N}" marker.
    private long literalLeft;
    private long literalSize = -1;
    private long pendingLiteral = -1;
    private Marker marker;

    /// <summary>The budget of a fetch of <paramref name="messages"/> messages' header fields.</summary>
    public static long ForFetch(int messages) => Math.Clamp(messages * HeaderBytesPerMessage, MinFetchBytes, MaxFetchBytes);

    /// <summary>
    /// Allows <paramref name="bytes"/> per answer until disposed, naming <paramref name="what"/> in a refusal and adding
    /// <paramref name="fix"/> (what the user can do about it).
    /// </summary>
    public IDisposable Allow(long bytes, string what, string? fix = null)
    {
        (limit, answer, advice) = (bytes, what, fix);
        return new Restore(this);
    }

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    public void LogConnect(Uri uri) => (received, literalLeft, literalSize, pendingLiteral, marker) = (0, 0, -1, -1, Marker.None);

    public void LogClient(byte[] buffer, int offset, int count) => received = 0;

    public void LogServer(byte[] buffer, int offset, int count)
    {
        received += count;
        if (received > limit) throw Refused($"more than {Megabytes(limit)} MB for {answer}");
        foreach (var b in buffer.AsSpan(offset, count)) Read(b);
    }

    /// <summary>
    /// One byte, inside a literal or on a line. Every byte is looked at (a literal's are few: at most the limit), so a
    /// marker past the limit is refused even inside text taken for a literal.
    /// </summary>
    private void Read(byte b)
    {
        var inLiteral = literalLeft > 0;
        if (inLiteral) literalLeft--;
        switch (b)
        {
            case (byte)'{':
                (marker, literalSize) = (Marker.Digits, -1);
                break;
            case >= (byte)'0' and <= (byte)'9' when marker == Marker.Digits:
                literalSize = Math.Min(Math.Max(literalSize, 0) * 10 + (b - '0'), long.MaxValue / 10);
                break;
            case (byte)'+' when marker == Marker.Digits && literalSize >= 0:
                marker = Marker.Plus;
                break;
            case (byte)'}' when marker is Marker.Digits or Marker.Plus && literalSize >= 0:
                marker = Marker.None;
                if (literalSize > MaxLiteralBytes)
                    throw Refused($"an item of {literalSize:N0} bytes (at most {MaxLiteralBytes / 1024} KB are read) in {answer}");
                if (!inLiteral) pendingLiteral = literalSize; // a literal if its line ends here
                break;
            case (byte)'\r' when pendingLiteral >= 0:
                break;
            case (byte)'\n' when pendingLiteral >= 0 && !inLiteral:
                (literalLeft, pendingLiteral, marker) = (pendingLiteral, -1, Marker.None);
                break;
            default:
                marker = Marker.None;
                pendingLiteral = -1;
                break;
        }
    }

    private ImapAnswerTooLargeException Refused(string what) =>
        new($"The server sent {what}; the answer was refused and the connection closed.{(advice is null ? "" : " " + advice)}");

    private static long Megabytes(long bytes) => bytes / (1024 * 1024);

    public void Dispose()
    {
    }

    private enum Marker
    {
        None,
        Digits,
        Plus,
    }

    private sealed class Restore(AnswerBudget budget) : IDisposable
    {
        public void Dispose() => (budget.limit, budget.answer, budget.advice) = (DefaultBytes, AnyAnswer, null);
    }
}
