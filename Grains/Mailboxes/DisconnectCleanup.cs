using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// What a disconnect (or a change of credentials) leaves owed, as pure rules: which Google grants get revoked, when the
/// next revocation attempt is due, when one is given up, and when the mailbox must wake up for the owed work.
/// </summary>
public sealed class DisconnectCleanup(RetryOptions retry)
{
    /// <summary>A revocation Google never accepted is given up this long after it became owed (logged, never shown to users).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(1);

    private readonly RetryBackoff backoff = new(retry);

    /// <summary>
    /// Whether replacing <paramref name="stored"/> by <paramref name="next"/> revokes the stored Google grant: yes,
    /// unless the new credentials are a sign-in to the same Google account. Google revokes a whole grant (the app's
    /// access to the account), not one token, so revoking the old token would also revoke the new one.
    /// </summary>
    public static bool RevokesOnReplace(StoredCredentials? stored, MailboxCredentials next) =>
        stored is { Provider: MailboxProvider.Google } && !SameGoogleAccount(stored, next);

    /// <summary>A new sign-in to the same Google account supersedes an owed revocation, which would revoke the new grant.</summary>
    public static bool Supersedes(MailboxCredentials next, OwedRevocation owed) => SameGoogleAccount(owed.Credentials, next);

    /// <summary>The revocation a disconnect leaves owed (only Google sign-ins have a grant to revoke), due at once.</summary>
    public static OwedRevocation? OwedBy(StoredCredentials? stored, DateTimeOffset now) =>
        stored is { Provider: MailboxProvider.Google } ? new OwedRevocation(stored, now, 0, now) : null;

    /// <summary>After a failed attempt: the next attempt backed off, or null once <see cref="GiveUpAfter"/> has passed.</summary>
    /// <param name="sample">A uniform sample in [0, 1) for the jitter.</param>
    public OwedRevocation? AfterFailure(OwedRevocation owed, DateTimeOffset now, double sample)
    {
        if (now - owed.Since >= GiveUpAfter) return null;
        var failed = owed.FailedAttempts + 1;
        return owed with { FailedAttempts = failed, NextAttemptAt = now + backoff.Delay(failed, sample) };
    }

    /// <summary>
    /// When the mailbox must wake up for owed work: at once while history is owed (step after step), else at the earliest
    /// revocation attempt; null when nothing is owed.
    /// </summary>
    public static DateTimeOffset? DueAt(HistoryDeletion? history, IEnumerable<OwedRevocation> revocations, DateTimeOffset now)
    {
        if (history is not null) return now;
        DateTimeOffset? due = null;
        foreach (var owed in revocations)
        {
            if (due is null || owed.NextAttemptAt < due) due = owed.NextAttemptAt;
        }
        return due;
    }

    private static bool SameGoogleAccount(StoredCredentials stored, MailboxCredentials next) =>
        stored.Provider == MailboxProvider.Google && next.Provider == MailboxProvider.Google &&
        string.Equals(stored.Email, next.Email, StringComparison.OrdinalIgnoreCase);
}
