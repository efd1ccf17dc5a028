namespace MailSync.Grains.Interfaces.Companies;

/// <summary>
/// How far billing reaches: a company's billing rows are kept for <see cref="Retention"/> after an interval ends (the
/// table a billing read scans stays that size however old the company), so a period may start no earlier than that
/// and last at most <see cref="MaxPeriod"/>.
/// </summary>
public static class BillingWindow
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(400);

    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(366);
}
