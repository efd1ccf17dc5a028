namespace MailSync.Grains.Interfaces.NeverLog;

/// <summary>
/// The company's own domains, whose addresses are never matched as leads (colleagues writing to each other), unless
/// <see cref="LogInternalEmails"/> is set. Besides <see cref="Domains"/>, the domain of each syncing mailbox counts as
/// the company's own, unless it is a public mail service's (gmail.com, outlook.com and the like).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.InternalMail")]
public sealed record InternalMail([property: Id(0)] IReadOnlyList<string> Domains, [property: Id(1)] bool LogInternalEmails)
{
    public const int MaxDomains = 100;

    public static InternalMail Default { get; } = new([], false);
}
