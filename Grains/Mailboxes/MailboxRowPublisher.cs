using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// Keeps one mailbox's rows in the company's indexes (status row, error-log entries, billing interval) in step with its
/// state, for company-wide reads. The state is the truth: a failed publish is left for the next change to repeat, so
/// company-wide reads lag and nothing is lost. One per activation, on the grain's scheduler.
/// </summary>
internal sealed class MailboxRowPublisher(MailboxKey key, MailboxDirectoryWriter directory, MailSyncClock clock, ILogger logger)
{
    /// <summary>How stale the last sync time in the company's status row may get.</summary>
    private static readonly TimeSpan StatusRefresh = TimeSpan.FromMinutes(5);

    private readonly List<MailboxError> errorsToPublish = [];
    private readonly List<MailboxError> errorsToUnpublish = [];

    /// <summary>Interleaved turns publish one at a time: what a publish sends leaves the queues only once it is sent.</summary>
    private readonly SemaphoreSlim publishes = new(1, 1);

    private MailboxView? publishedView;
    private string? publishedKeyId;
    private DateTimeOffset publishedAt;
    private bool billingToPublish;

    /// <summary>On activation: whatever a crash kept from the company's rows is written again.</summary>
    public void Restore(MailboxState state)
    {
        errorsToPublish.AddRange(state.Errors.Entries);
        billingToPublish = state.Billing.Intervals.Count > 0;
    }

    /// <summary>An entry was added to the error log, pushing <paramref name="pushedOut"/> (if any) out of it.</summary>
    public void ErrorLogged(MailboxError entry, MailboxError? pushedOut)
    {
        errorsToPublish.Add(entry);
        if (pushedOut is not null) errorsToUnpublish.Add(pushedOut);
    }

    /// <summary>The billing interval opened or closed.</summary>
    public void BillingChanged() => billingToPublish = true;

    /// <summary>
    /// The status row when anything a reader sees changed (the last sync time at most every <see cref="StatusRefresh"/>,
    /// so a quiet poll writes nothing), new error-log entries, the current billing interval.
    /// </summary>
    public async Task PublishAsync(MailboxState state, MailboxView view)
    {
        await publishes.WaitAsync();
        try
        {
            await PublishStatusAsync(state, view);
            await PublishErrorsAsync();
            await PublishBillingAsync(state.Billing);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Company rows of {Mailbox} not updated yet ({Fault}); retried with the next change", key, e.GetType().Name);
        }
        finally
        {
            publishes.Release();
        }
    }

    private async Task PublishStatusAsync(MailboxState state, MailboxView view)
    {
        var now = clock.Now;
        var keyId = state.Credentials?.Secret.KeyId;
        // A mailbox never connected has no row: a disconnect of a typo must not list a user who does not exist.
        if (!state.Listed) return;
        if (publishedView is not null && Quiet(view) == Quiet(publishedView) && keyId == publishedKeyId &&
            now - publishedAt < StatusRefresh) return;
        await directory.WriteStatusAsync(view, keyId);
        (publishedView, publishedAt, publishedKeyId) = (view, now, keyId);
    }

    private async Task PublishErrorsAsync()
    {
        if (errorsToPublish.Count == 0 && errorsToUnpublish.Count == 0) return;
        List<MailboxError> added = [.. errorsToPublish], removed = [.. errorsToUnpublish];
        await directory.WriteErrorsAsync(key, added, removed);
        errorsToPublish.RemoveRange(0, added.Count);
        errorsToUnpublish.RemoveRange(0, removed.Count);
    }

    private async Task PublishBillingAsync(BillingLedger billing)
    {
        if (!billingToPublish || billing.Intervals is not [.., var current]) return;
        billingToPublish = false; // a change while this is sent sets it again
        try
        {
            await directory.WriteBillingAsync(key, current.Start, current.End);
        }
        catch
        {
            billingToPublish = true;
            throw;
        }
    }

    private static MailboxView Quiet(MailboxView v) => v with { LastSyncAt = null, MessagesSynced = 0, NextAttemptAt = null };
}
