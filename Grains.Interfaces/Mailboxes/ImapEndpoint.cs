namespace MailSync.Grains.Interfaces.Mailboxes;

[GenerateSerializer, Immutable]
[Alias("MailSync.ImapEndpoint")]
public sealed record ImapEndpoint(
    [property: Id(0)] string Host,
    [property: Id(1)] int Port,
    [property: Id(2)] ImapSecurity Security);
