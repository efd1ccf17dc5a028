using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Scheduling;
using MailSync.Shared.Storage;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace MailSync.Grains.Scheduling;

/// <summary>
/// Brings polling mailboxes of its shard back within seconds when their activation is lost: at its own activation (it
/// may have been lost with them), when a mailbox reports its deactivation, and when the membership declares the silo a
/// mailbox was last seen on dead. Reentrant, so a mailbox activated by <see cref="IMailboxGrain.Resume"/> can report
/// back while the keeper is still resuming others; all state changes happen between awaits.
/// </summary>
[Reentrant]
public sealed class ScheduleKeeperGrain(
    [PersistentState("keeper", StorageNames.GrainState)] IPersistentState<KeeperState> state,
    IClusterMembershipService membership,
    ILogger<ScheduleKeeperGrain> logger)
    : Grain, IScheduleKeeperGrain
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    /// <summary>Resume calls in flight at once: a shard of thousands comes back quickly without flooding the silo.</summary>
    private const int ResumeParallelism = 32;

    /// <summary>Far below Orleans' 30 s response timeout, so one lost call never holds up the shard's other resumes.</summary>
    private static readonly TimeSpan ResumeTimeout = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, SiloAddress> seenOn = new(StringComparer.Ordinal);

    /// <summary>The newest report applied per mailbox: an older one that arrives later is ignored.</summary>
    private readonly Dictionary<string, long> lastReport = new(StringComparer.Ordinal);
    private readonly HashSet<string> toResume = new(StringComparer.Ordinal);
    private bool dirty;
    private Task saving = Task.CompletedTask;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // This shard may have been lost together with its mailboxes: resume them all (a live one just answers).
        toResume.UnionWith(state.State.Mailboxes);
        this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, Tick) { KeepAlive = true });
        if (toResume.Count > 0)
            logger.LogInformation("Schedule keeper {Shard} active; resuming {Count} mailboxes", this.GetPrimaryKeyLong(), toResume.Count);
        return Task.CompletedTask;
    }

    public Task Watch(string mailbox, SiloAddress silo, long sequence)
    {
        if (!Newer(mailbox, sequence)) return Task.CompletedTask;
        dirty |= state.State.Mailboxes.Add(mailbox);
        seenOn[mailbox] = silo;
        toResume.Remove(mailbox);
        return Task.CompletedTask;
    }

    public async Task<bool> Keep(string mailbox, SiloAddress silo, long sequence)
    {
        await Watch(mailbox, silo, sequence);
        await SaveAsync();
        return !dirty;
    }

    public Task Unwatch(string mailbox, long sequence)
    {
        if (Newer(mailbox, sequence)) Forget(mailbox);
        return Task.CompletedTask;
    }

    private bool Newer(string mailbox, long sequence)
    {
        if (lastReport.TryGetValue(mailbox, out var last) && sequence < last) return false;
        lastReport[mailbox] = sequence;
        return true;
    }

    private void Forget(string mailbox)
    {
        dirty |= state.State.Mailboxes.Remove(mailbox);
        seenOn.Remove(mailbox);
        toResume.Remove(mailbox); // its last report stays: a Watch it overtook must not bring it back
    }

    public Task Deactivated(string mailbox)
    {
        seenOn.Remove(mailbox);
        if (state.State.Mailboxes.Contains(mailbox)) toResume.Add(mailbox);
        return Task.CompletedTask;
    }

    public Task<int> Ping() => Task.FromResult(state.State.Mailboxes.Count);

    /// <summary>One tick at a time: Orleans starts the next only after this one completed.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        await SaveAsync();
        FindMailboxesOnDeadSilos();
        await ResumeAsync();
    }

    /// <summary>
    /// Saves what changed. Writes take turns (the grain is reentrant): a tick saves a burst of Watch and Unwatch at once,
    /// <see cref="Keep"/> waits for the write that covers its mailbox.
    /// </summary>
    private Task SaveAsync()
    {
        saving = SaveAfterAsync(saving);
        return saving;
    }

    private async Task SaveAfterAsync(Task previous)
    {
        await previous;
        if (!dirty) return;
        dirty = false;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            dirty = true; // next tick; the mailboxes' reminders are the backstop meanwhile
            logger.LogWarning("Schedule keeper {Shard} not saved yet ({Fault})", this.GetPrimaryKeyLong(), e.GetType().Name);
        }
    }

    /// <summary>
    /// Every tick, not only when the membership version changes: a mailbox may report a silo (from a resume answered while
    /// that silo was shutting down) after the keeper last looked at it. A few hundred lookups a second per shard.
    /// </summary>
    private void FindMailboxesOnDeadSilos()
    {
        var snapshot = membership.CurrentSnapshot;
        foreach (var (mailbox, silo) in seenOn.ToList())
        {
            if (snapshot.GetSiloStatus(silo) is not (SiloStatus.Dead or SiloStatus.None)) continue;
            seenOn.Remove(mailbox);
            toResume.Add(mailbox);
        }
    }

    /// <summary>Resumes what is due; a call that fails (its silo not yet declared dead) is tried again next tick.</summary>
    private async Task ResumeAsync()
    {
        if (toResume.Count == 0) return;
        var batch = toResume.ToList();
        var failed = 0;
        await Parallel.ForEachAsync(batch,
            new ParallelOptions { MaxDegreeOfParallelism = ResumeParallelism, TaskScheduler = TaskScheduler.Current },
            async (mailbox, _) =>
            {
                try
                {
                    // A call that reached a silo as it went away may never be answered: give up soon and try again next tick.
                    var answer = await GrainFactory.GetGrain<IMailboxGrain>(mailbox).Resume().WaitAsync(ResumeTimeout);
                    toResume.Remove(mailbox);
                    if (!Newer(mailbox, answer.Sequence)) return;
                    if (!answer.Polls) Forget(mailbox); // disconnected while an Unwatch went missing
                    // Where it is now: if that silo is on its way out, its death in the membership brings the mailbox back again.
                    else if (state.State.Mailboxes.Contains(mailbox)) seenOn[mailbox] = answer.Silo;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    failed++;
                }
            });
        if (failed > 0)
        {
            logger.LogInformation("Schedule keeper {Shard}: {Failed} of {Count} mailboxes not resumed yet; retrying",
                this.GetPrimaryKeyLong(), failed, batch.Count);
        }
    }
}
