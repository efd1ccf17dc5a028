namespace MailSync.Grains.Mailboxes;

/// <summary>Billable intervals of one mailbox. Enabled and Error are billed; everything else is not.</summary>
[GenerateSerializer]
[Alias("MailSync.BillingLedger")]
public sealed class BillingLedger
{
    /// <summary>Intervals only change when billability changes, so this bound holds years of history.</summary>
    public const int MaxIntervals = 1000;

    [Id(0)] public List<BillingInterval> Intervals { get; set; } = [];

    public bool IsOpen => Intervals.Count > 0 && Intervals[^1].End is null;

    /// <summary>Opens or closes the current interval at <paramref name="at"/> to match <paramref name="billable"/>.</summary>
    public void Record(bool billable, DateTimeOffset at)
    {
        if (billable && !IsOpen)
        {
            Intervals.Add(new BillingInterval(at, null));
            if (Intervals.Count > MaxIntervals) Intervals.RemoveAt(0);
        }
        else if (!billable && IsOpen)
        {
            Intervals[^1] = Intervals[^1] with { End = at };
        }
    }

    /// <summary>Billable seconds within [from, to); an open interval counts up to <paramref name="now"/>.</summary>
    public long Seconds(DateTimeOffset from, DateTimeOffset to, DateTimeOffset now)
    {
        long total = 0;
        foreach (var interval in Intervals)
        {
            var start = Max(interval.Start, from);
            var end = Min(interval.End ?? now, to);
            if (end > start) total += (long)(end - start).TotalSeconds;
        }
        return total;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
