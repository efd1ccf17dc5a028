namespace MailSync.Grains.Sync;

/// <summary>
/// The timeline writes and cursor commits of one pass, run one after another in the order they were queued, while
/// the pass goes on fetching. One chain per pass keeps commits ordered across folders and never lets two of them
/// persist the mailbox state at once; a failed link skips every later one, so no cursor passes an unwritten batch.
/// </summary>
public sealed class WriteChain
{
    private Task tail = Task.CompletedTask;

    public void Enqueue(Func<Task> work) => tail = After(tail, work);


    /// <summary>Waits until everything queued so far has finished, without throwing its failure.</summary>
    public Task DrainAsync() =>
        tail.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Current);

    /// <summary>Waits until everything queued so far has finished, and throws the first failure.</summary>
    public Task CompletedAsync() => tail;

    private static async Task After(Task before, Func<Task> work)
    {
        await before;
        // Work queued behind finished work would otherwise start inside Enqueue, on the fetching caller's time.
        await Task.Yield();
        await work();
    }
}
