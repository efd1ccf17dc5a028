namespace MailSync.Grains.Sync;

/// <summary>
/// This service does not connect there: the IMAP host resolved only to non-public addresses while
/// MailSync:AllowPrivateImapHosts is false, or (<see cref="PortRefused"/>) the port is not in MailSync:AllowedImapPorts.
/// </summary>
public sealed class ImapHostNotAllowedException(string message, bool portRefused = false) : Exception(message)
{
    /// <summary>The port, not the address, is what this service does not connect to.</summary>
    public bool PortRefused { get; } = portRefused;
}
