namespace MailSync.Grains.Mailboxes;

/// <summary>
/// A Google grant to revoke: the credentials exactly as they were stored (the refresh token stays sealed, under the
/// purpose it was sealed to), since when it is owed, how many attempts failed and when the next one is due.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.OwedRevocation")]
public sealed record OwedRevocation(
    [property: Id(0)] StoredCredentials Credentials,
    [property: Id(1)] DateTimeOffset Since,
    [property: Id(2)] int FailedAttempts,
    [property: Id(3)] DateTimeOffset NextAttemptAt);
