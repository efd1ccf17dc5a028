using MailSync.Grains.Mailboxes;

namespace MailSync.UnitTests.Mailboxes;

public sealed class BillingLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Counts_only_billable_time_inside_the_window()
    {
        var ledger = new BillingLedger();
        ledger.Record(true, T0);
        ledger.Record(true, T0.AddMinutes(5)); // Enabled → Error: still billed, same interval
        ledger.Record(false, T0.AddHours(1)); // ConnectionIssue
        ledger.Record(true, T0.AddHours(3)); // reconnected

        Assert.Equal(3600 + 3600, ledger.Seconds(T0, T0.AddHours(4), now: T0.AddHours(10)));
        Assert.Equal(1800, ledger.Seconds(T0.AddMinutes(30), T0.AddHours(2), now: T0.AddHours(10)));
        Assert.Equal(0, ledger.Seconds(T0.AddHours(1), T0.AddHours(3), now: T0.AddHours(10)));
        Assert.Equal(2, ledger.Intervals.Count);
    }

    [Fact]
    public void An_open_interval_counts_up_to_now_only()
    {
        var ledger = new BillingLedger();
        ledger.Record(true, T0);

        Assert.Equal(600, ledger.Seconds(T0, T0.AddDays(1), now: T0.AddMinutes(10)));
    }
}
