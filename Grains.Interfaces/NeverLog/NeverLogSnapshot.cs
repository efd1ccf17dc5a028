namespace MailSync.Grains.Interfaces.NeverLog;

/// <summary>
/// What one user's mailbox records under: the values on the company's list and on the user's own (normalized), and the
/// company's internal-mail rule.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.NeverLogSnapshot")]
public sealed record NeverLogSnapshot([property: Id(0)] IReadOnlyList<string> Values, [property: Id(1)] InternalMail InternalMail);
