namespace MailSync.Grains.Interfaces.Mailboxes;

public enum ImapSecurity
{
    /// <summary>Implicit TLS from the first byte (port 993).</summary>
    Ssl,

    /// <summary>Plain connection upgraded with STARTTLS (port 143); refused if the server does not offer it.</summary>
    StartTls,

    /// <summary>No encryption: only when MailSync:AllowInsecureImap is true.</summary>
    None,
}
