namespace MailSync.Grains.Interfaces.NeverLog;

/// <summary>
/// One entry of a never-log list: an address (<c>ann@example.com</c>) or a whole domain (<c>example.com</c>, which also
/// covers its subdomains), stored as <see cref="NeverLogValue.Normalize"/> makes it.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.NeverLogEntry")]
public sealed record NeverLogEntry([property: Id(0)] string Value, [property: Id(1)] DateTimeOffset AddedAt)
{
    public bool IsDomain => !Value.Contains('@', StringComparison.Ordinal);
}
