namespace MailSync.Shared.Webhooks;

/// <summary>
/// When a failed delivery is tried again, and when a subscription gives up: the first retry after
/// <see cref="WebhookOptions.RetryInitial"/>, doubling per consecutive failure up to <see cref="WebhookOptions.RetryMax"/>
/// (± 20 %), paused at the first failure at least <see cref="WebhookOptions.PauseAfter"/> after the streak began.
/// </summary>
public sealed class WebhookRetry(WebhookOptions options)
{
    private const double Jitter = 0.2;

    /// <summary>
    /// The wait after the <paramref name="failures"/>-th consecutive
    /// failure (1 = the first); <paramref name="random"/> in [0, 1).
    /// </summary>
    public TimeSpan Delay(int failures, double random)
    {
        var doublings = Math.Clamp(failures - 1, 0, 30);
        var ticks = Math.Min(options.RetryInitial.Ticks * Math.Pow(2, doublings), options.RetryMax.Ticks);
        return TimeSpan.FromTicks((long)(ticks * (1 + Jitter * (2 * random - 1))));
    }

    /// <summary>
    /// Whether a failure at <paramref name="now"/> of a streak that
    /// began at <paramref name="failingSince"/> pauses the subscription.
    /// </summary>
    public bool Pauses(DateTimeOffset failingSince, DateTimeOffset now) => now - failingSince >= options.PauseAfter;
}
