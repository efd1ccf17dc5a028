using System.Net.Sockets;
using MailKit.Net.Imap;
using MailKit.Security;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;

namespace MailSync.UnitTests.Sync;

public sealed class ErrorDetailTests
{
    private const string Host = "imap.acme.example";

    /// <summary>What the socket and TLS layers say carries the addresses and ports they tried: none of it may reach users.</summary>
    private static readonly string[] Internals = ["10.0.0.5", "10.0.0.5:5432", "fd00::5", "5432", "6379"];

    private static readonly MailboxErrorCode[] NetworkCodes =
    [
        MailboxErrorCode.HostNotFound, MailboxErrorCode.ConnectionRefused, MailboxErrorCode.ConnectionTimeout,
        MailboxErrorCode.HostNotAllowed, MailboxErrorCode.TlsFailure,
    ];

    /// <summary>Network failures whose own words name internal addresses and ports (built by <see cref="Failure"/>).</summary>
    public static TheoryData<string> NetworkFailures() =>
    [
        "name not found", "connection refused", "unreachable", "socket timeout", "dropped", "login timeout", "TLS", "private address", "port",
    ];

    [Fact]
    public void An_unrecognised_failure_shows_a_fixed_sentence_never_the_exception_text()
    {
        // What a grain call on a dead silo says: a type name, an internal address, a stack trace.
        var error = new InvalidOperationException(
            "Forwarding failed: tried to forward message to silo S10.0.0.5:11111:123 for grain lead-directory/acme\n   at Orleans.Runtime.Messaging...");

        var detail = ErrorDetail.Of(ImapErrorClassifier.Classify(error), Host, error);

        Assert.Equal(MailboxErrorCode.Unknown, ImapErrorClassifier.Classify(error));
        Assert.Contains(Host, detail);
        Assert.DoesNotContain("10.0.0.5", detail);
        Assert.DoesNotContain("Orleans", detail);
        Assert.DoesNotContain("Exception", detail);
        Assert.DoesNotContain(" at ", detail);
    }

    private static Exception Failure(string name) => name switch
    {
        "name not found" => new SocketExceptionWithText(SocketError.HostNotFound, "Name or service not known (imap.acme.example -> 10.0.0.5)"),
        "connection refused" => new SocketExceptionWithText(SocketError.ConnectionRefused, "Connection refused 10.0.0.5:5432"),
        "unreachable" => new SocketExceptionWithText(SocketError.NetworkUnreachable, "Network is unreachable [fd00::5]:6379"),
        "socket timeout" => new SocketExceptionWithText(SocketError.TimedOut, "Connection timed out 10.0.0.5:5432"),
        "dropped" => new IOException("Unable to read data from the transport connection 10.0.0.5:5432: Connection reset by peer.",
            new SocketExceptionWithText(SocketError.ConnectionReset, "Connection reset by peer 10.0.0.5:5432")),
        "login timeout" => new TimeoutException("10.0.0.5:5432 did not complete connection and login within 5 s."),
        "TLS" => new SslHandshakeException("An error occurred while attempting to establish an SSL or TLS connection to 10.0.0.5:6379."),
        "private address" => new ImapHostNotAllowedException("imap.acme.example resolves to 10.0.0.5 and fd00::5"),
        "port" => new ImapHostNotAllowedException("Port 5432 of imap.acme.example is refused", portRefused: true),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(NetworkFailures))]
    public void A_network_failure_is_a_fixed_sentence_naming_only_the_host_the_user_gave(string name)
    {
        var error = Failure(name);
        var code = ImapErrorClassifier.Classify(error);

        var detail = ErrorDetail.Of(code, Host, error);

        Assert.Contains(code, NetworkCodes);
        Assert.Contains(Host, detail);
        Assert.All(Internals, internals => Assert.DoesNotContain(internals, detail));
        Assert.DoesNotMatch(@"\d", detail);
    }

    [Theory]
    [InlineData(MailboxErrorCode.HostNotFound, "The name imap.acme.example could not be resolved to an address.")]
    [InlineData(MailboxErrorCode.ConnectionRefused, "The connection to imap.acme.example was refused or could not be made.")]
    [InlineData(MailboxErrorCode.ConnectionTimeout, "imap.acme.example did not answer in time, or the connection to it was dropped.")]
    [InlineData(MailboxErrorCode.HostNotAllowed, "imap.acme.example resolves only to private or local addresses, which this service does not connect to.")]
    [InlineData(MailboxErrorCode.TlsFailure, "No secure connection to imap.acme.example could be established: the TLS handshake failed or its certificate is not trusted.")]
    public void Each_network_code_has_its_sentence(MailboxErrorCode code, string expected)
    {
        Assert.Equal(expected, ErrorDetail.Of(code, Host, new SocketExceptionWithText(SocketError.SocketError, "10.0.0.5:5432")));
    }

    [Fact]
    public void A_refused_port_says_so_without_the_port()
    {
        var detail = ErrorDetail.Of(MailboxErrorCode.HostNotAllowed, Host, Failure("port"));

        Assert.Equal("The port given for imap.acme.example is not an IMAP port this service connects to.", detail);
    }

    [Fact]
    public void Our_own_refusal_of_unencrypted_IMAP_keeps_its_words()
    {
        var refusal = new InsecureImapRefusedException();

        Assert.Equal(MailboxErrorCode.TlsFailure, ImapErrorClassifier.Classify(refusal));
        Assert.Equal(refusal.Message, ErrorDetail.Of(MailboxErrorCode.TlsFailure, Host, refusal));
        Assert.Contains("Unencrypted IMAP is not allowed", refusal.Message);
    }

    [Fact]
    public void What_the_mail_server_said_is_kept_in_its_own_words()
    {
        var login = new AuthenticationException("[AUTHENTICATIONFAILED] Invalid credentials (Failure)");
        var command = new ImapCommandException(ImapCommandResponse.No, "[OVERQUOTA] Account exceeded command or bandwidth limits.");

        Assert.Equal(login.Message, ErrorDetail.Of(ImapErrorClassifier.Classify(login), Host, login));
        Assert.Equal(command.Message, ErrorDetail.Of(ImapErrorClassifier.Classify(command), Host, command));
    }

    /// <summary>A socket failure with the words .NET would put in it (an address and a port).</summary>
    private sealed class SocketExceptionWithText(SocketError error, string text) : SocketException((int)error)
    {
        public override string Message => text;
    }
}
