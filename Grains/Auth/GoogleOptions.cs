using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Auth;

/// <summary>Configuration section <c>Google</c>: where Gmail's IMAP is (configurable so tests point it at 127.0.0.1).</summary>
public sealed class GoogleOptions
{
    public const string Section = "Google";

    public string ImapHost { get; set; } = "imap.gmail.com";

    public int ImapPort { get; set; } = 993;

    public ImapSecurity ImapSecurity { get; set; } = ImapSecurity.Ssl;

    public ImapEndpoint Imap => new(ImapHost, ImapPort, ImapSecurity);
}
