using MailSync.Shared.Webhooks;

namespace MailSync.UnitTests.Webhooks;

public sealed class WebhookRetryTests
{
    private readonly WebhookRetry retry = new(new WebhookOptions());
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(10, 2560)]
    [InlineData(11, 3600)] // capped at an hour
    [InlineData(1000, 3600)]
    public void Waits_double_per_failure_from_5_seconds_up_to_an_hour(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), retry.Delay(failures, random: 0.5));

    [Fact]
    public void Jitters_by_at_most_a_fifth() =>
        Assert.Equal((TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(12)), (retry.Delay(2, 0), retry.Delay(2, 1)));

    [Fact]
    public void Pauses_at_the_first_failure_24_hours_after_the_streak_began()
    {
        Assert.False(retry.Pauses(Start, Start.AddHours(24).AddTicks(-1)));
        Assert.True(retry.Pauses(Start, Start.AddHours(24)));
    }

    [Fact]
    public void A_streak_of_retries_reaches_the_pause_after_about_36_attempts()
    {
        // 5 s doubling to the 1 h cap: ~2.3 h to reach the cap, then hourly until 24 h are over.
        var at = Start;
        var attempts = 1;
        while (!retry.Pauses(Start, at))
        {
            at += retry.Delay(attempts, 0.5);
            attempts++;
        }
        Assert.InRange(attempts, 30, 40);
    }
}
