namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>
/// What a user gives to connect a mailbox. <see cref="Secret"/> is the password (or, for Google, the refresh token):
/// it only travels in memory, is stored encrypted, and <see cref="ToString"/> never prints it.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.MailboxCredentials")]
public sealed record MailboxCredentials(
    [property: Id(0)] MailboxProvider Provider,
    [property: Id(1)] string Email,
    [property: Id(2)] string Username,
    [property: Id(3)] string Secret,
    [property: Id(4)] ImapEndpoint Imap)
{
    public override string ToString() =>
        $"MailboxCredentials {{ Provider = {Provider}, Email = {Email}, Username = {Username}, Secret = ***, Imap = {Imap} }}";
}
