using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Grains.Storage;
using Orleans.Concurrency;

namespace MailSync.Grains.Webhooks;

/// <summary>
/// Group commit in front of a company's log writer: thousands of mailboxes of one company handing off at once (a big
/// tenant onboarding) made one append call each, and each waited its turn at the single writer, so connects and passes
/// waited seconds and calls timed out. Here the hand-offs that arrive while an append is written are queued and sent as
/// one append of up to a table transaction's rows, so one batch is all-or-nothing. A mailbox hands off one batch at a
/// time (it waits for the answer), so its events keep their order.
/// </summary>
[StatelessWorker(1)]
[Reentrant]
public sealed class EventLogBatcherGrain : Grain, IEventLogBatcherGrain
{
    private readonly List<(IReadOnlyList<MailboxEvent> Events, TaskCompletionSource Taken)> queued = [];
    private bool writing;

    private ICompanyWebhooksGrain Log => GrainFactory.GetGrain<ICompanyWebhooksGrain>(this.GetPrimaryKeyString());

    public Task Append(IReadOnlyList<MailboxEvent> events)
    {
        if (events.Count == 0) return Task.CompletedTask;
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        queued.Add((events, taken));
        // Runs on this activation's scheduler; the callers' pending answers keep the activation alive meanwhile.
        if (!writing) _ = WriteQueuedAsync();
        return taken.Task;
    }

    private async Task WriteQueuedAsync()
    {
        writing = true;
        try
        {
            while (queued.Count > 0)
            {
                var batch = TakeBatch();
                try
                {
                    await Log.Append([.. batch.SelectMany(b => b.Events)]);
                    foreach (var (_, taken) in batch) taken.SetResult();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    foreach (var (_, taken) in batch) taken.SetException(e); // each mailbox keeps its events and hands them off again
                }
            }
        }
        finally
        {
            writing = false;
        }
    }

    /// <summary>The oldest hand-offs, whole, up to one table transaction of rows (at least one hand-off).</summary>
    private List<(IReadOnlyList<MailboxEvent> Events, TaskCompletionSource Taken)> TakeBatch()
    {
        var count = 0;
        var rows = 0;
        while (count < queued.Count && (count == 0 || rows + queued[count].Events.Count <= TableBatches.MaxActionsPerTransaction))
            rows += queued[count++].Events.Count;
        var batch = queued.GetRange(0, count);
        queued.RemoveRange(0, count);
        return batch;
    }
}
