using MailSync.Shared.Configuration;

namespace MailSync.Grains.Mailboxes;

/// <summary>Delay before the next attempt: doubling from Initial after each failure, capped at Max, ± jitter.</summary>
public sealed class RetryBackoff(RetryOptions options)
{
    /// <param name="consecutiveFailures">1 after the first failure.</param>
    /// <param name="sample">A uniform sample in [0, 1): 0.5 means no jitter.</param>
    public TimeSpan Delay(int consecutiveFailures, double sample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(consecutiveFailures, 1);
        var exponent = Math.Min(consecutiveFailures - 1, 30);
        var ticks = Math.Min(options.Initial.Ticks * Math.Pow(2, exponent), options.Max.Ticks);
        return Jitter(TimeSpan.FromTicks((long)ticks), options.Jitter, sample);
    }

    /// <summary>The cap, Max, ± jitter: the delay after a failure that retrying sooner cannot fix.</summary>
    /// <param name="sample">A uniform sample in [0, 1): 0.5 means no jitter.</param>
    public TimeSpan Longest(double sample) => Jitter(options.Max, options.Jitter, sample);

    /// <summary>Spreads <paramref name="delay"/> by ± <paramref name="fraction"/>, using <paramref name="sample"/> in [0, 1).</summary>
    public static TimeSpan Jitter(TimeSpan delay, double fraction, double sample) =>
        TimeSpan.FromTicks((long)(delay.Ticks * (1 + fraction * (2 * sample - 1))));
}
