using MailKit.Security;

namespace MailSync.Grains.Sync;

/// <summary>Security "none" while MailSync:AllowInsecureImap is false: a TlsFailure whose words are ours.</summary>
public sealed class InsecureImapRefusedException()
    : SslHandshakeException("Unencrypted IMAP is not allowed on this service (MailSync:AllowInsecureImap is false).");
