namespace MailSync.Grains.Sync;

/// <summary>The IMAP host resolved to a non-public address while MailSync:AllowPrivateImapHosts is false.</summary>
public sealed class ImapHostNotAllowedException(string message) : Exception(message);
