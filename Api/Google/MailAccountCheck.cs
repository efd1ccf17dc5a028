using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Api.Google;

/// <summary>
/// Whether the mail account a sign-in brought back may be connected for the CRM user: at once when it is the user's
/// registered address (or the user has none registered and the company allows other accounts), after the user confirmed
/// it (the address sealed in the state of a second sign-in), never where the company allows registered addresses only.
/// </summary>
public static class MailAccountCheck
{
    public enum Verdict
    {
        Connect,
        Confirm,
        Refuse,
    }

    public static Verdict Decide(string? registered, string account, string? confirmed, OtherMailAccounts policy)
    {
        if (registered is not null && Same(registered, account)) return Verdict.Connect;
        if (policy == OtherMailAccounts.Refuse) return Verdict.Refuse; // nothing registered matches nothing
        if (registered is null) return Verdict.Connect;
        return confirmed is not null && Same(confirmed, account) ? Verdict.Connect : Verdict.Confirm;
    }

    private static bool Same(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
