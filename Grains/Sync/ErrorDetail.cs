using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Sync;

/// <summary>
/// The detail of a failed attempt's error-log entry. When the network failed (the name, the connection, TLS, or a
/// host this service does not connect to), a fixed sentence naming only the host the user gave: the socket's own words
/// carry the addresses and ports it tried, and would let users map which hosts and ports behind a name answer. When the
/// mail server or Google answered (a refused login, a refused command), their own words, which say what to fix. When
/// the failure is not recognised, a fixed sentence: nothing of an unknown exception's text reaches the user.
/// </summary>
public static class ErrorDetail
{
    /// <param name="code">How <paramref name="error"/> was classified.</param>
    /// <param name="host">The IMAP host name as the user gave it.</param>
    /// <param name="error">What the attempt threw.</param>
    public static string Of(MailboxErrorCode code, string host, Exception error) => code switch
    {
        MailboxErrorCode.HostNotFound => $"The name {host} could not be resolved to an address.",
        MailboxErrorCode.ConnectionRefused => $"The connection to {host} was refused or could not be made.",
        MailboxErrorCode.ConnectionTimeout => $"{host} did not answer in time, or the connection to it was dropped.",
        MailboxErrorCode.HostNotAllowed when error is ImapHostNotAllowedException { PortRefused: true } =>
            $"The port given for {host} is not an IMAP port this service connects to.",
        MailboxErrorCode.HostNotAllowed => $"{host} resolves only to private or local addresses, which this service does not connect to.",
        MailboxErrorCode.TlsFailure when error is InsecureImapRefusedException => error.Message,
        MailboxErrorCode.TlsFailure =>
            $"No secure connection to {host} could be established: the TLS handshake failed or its certificate is not trusted.",
        // Not recognised, so not known to be the server's words: an exception's own text may name types, addresses or
        // internals (the operators' log has it), never the user's error log.
        MailboxErrorCode.Unknown => $"The sync with {host} failed for a reason this service does not recognise; it is retried.",
        _ => error.Message,
    };
}
