namespace MailSync.Testing;

/// <summary>Waits for state by asking again until it holds or a deadline passes: never a blind sleep.</summary>
public static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string? what = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        T last;
        while (true)
        {
            last = await read();
            if (done(last)) return last;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what ?? "condition"} did not hold within {timeout}; last value: {last}");
            }
        }
    }
}
