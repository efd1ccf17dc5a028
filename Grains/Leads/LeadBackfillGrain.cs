using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Storage;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Leads;

/// <summary>
/// Rounds of backfill for one company. Lead writes within <c>MailSync:LeadBackfillDelay</c> of each other share a round;
/// writes during a round wait for the next. A round asks every mailbox that syncs (Enabled, or with a connection issue) to
/// read its initial window
/// again on its next pass, which runs within the company's and the host's shares like any pass, and ends when all have
/// answered or after <see cref="RoundLimit"/> (a mailbox that fails meanwhile reads it again on a later round). A
/// reminder carries a waiting or running round over the loss of this activation; a round cut short starts again.
/// </summary>
public sealed class LeadBackfillGrain(
    [PersistentState("lead-backfill", StorageNames.GrainState)] IPersistentState<LeadBackfillState> state,
    IOptions<MailSyncOptions> options, MailSyncClock clock, ILogger<LeadBackfillGrain> logger)
    : Grain, ILeadBackfillGrain, IRemindable
{
    public static readonly TimeSpan RoundLimit = TimeSpan.FromMinutes(15);
    private const string ReminderName = "lead-backfill";
    private const int PageSize = 500;
    private const int FanOut = 32;
    private static readonly MailboxStatus[] SyncingStatuses = [MailboxStatus.Enabled, MailboxStatus.ConnectionIssue];

    private readonly HashSet<string> waitingFor = new(StringComparer.Ordinal);
    private IGrainTimer? timer;
    private bool listed;

    private string CompanyId => this.GetPrimaryKeyString();

    private LeadBackfillState State => state.State;

    public async Task LeadsMatched(int leads)
    {
        State.LeadsWaiting += leads;
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        if (!State.Running) Arm(options.Value.LeadBackfillDelay);
    }

    public async Task MailboxDone(string userId, int round)
    {
        if (round != State.Round || !State.Running || !waitingFor.Remove(userId)) return;
        State.MailboxesDone++;
        if (waitingFor.Count == 0 && listed) await FinishAsync();
        else await state.WriteStateAsync();
    }

    public Task<LeadBackfillProgress> GetProgress() => Task.FromResult(new LeadBackfillProgress(
        State.Round, State.Running, State.LeadsInRound, State.LeadsWaiting, State.Mailboxes, State.MailboxesDone,
        State.StartedAt, State.FinishedAt));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (State.Running && !listed) await StartAsync(again: true); // this activation lost the round's mailboxes
        else if (State.Running && clock.Now - State.StartedAt >= RoundLimit) await FinishAsync();
        else if (!State.Running && State.LeadsWaiting > 0) Arm(TimeSpan.Zero);
        else if (!State.Running) await DropReminderAsync();
    }

    private void Arm(TimeSpan due)
    {
        var options = new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true };
        if (timer is null) timer = this.RegisterGrainTimer(OnTimerAsync, options);
        else timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task OnTimerAsync()
    {
        if (!State.Running && State.LeadsWaiting > 0) await StartAsync(again: false);
        else if (State.Running && clock.Now - State.StartedAt >= RoundLimit) await FinishAsync();
    }

    /// <summary>
    /// Opens a round (or opens the running one again), then lists the company's syncing mailboxes page by page and asks
    /// each to read its window again. Answers that arrive while listing are counted; the round ends once both are done.
    /// </summary>
    private async Task StartAsync(bool again)
    {
        if (!again)
        {
            State.Round++;
            (State.LeadsInRound, State.LeadsWaiting) = (State.LeadsWaiting, 0);
        }
        (State.Running, State.StartedAt, State.FinishedAt, State.Mailboxes, State.MailboxesDone) = (true, clock.Now, null, 0, 0);
        waitingFor.Clear();
        listed = false;
        await state.WriteStateAsync();
        Arm(RoundLimit);

        var round = State.Round;
        var directory = GrainFactory.GetGrain<ICompanyDirectoryGrain>(CompanyId);
        // A mailbox with a connection issue is asked too: it backfills on the first pass that reaches its server.
        foreach (var status in SyncingStatuses)
        {
            string? continuation = null;
            do
            {
                var page = await directory.GetUsers(PageSize, continuation, status);
                continuation = page.Next;
                var users = page.Items.Select(m => m.UserId).Where(waitingFor.Add).ToList();
                State.Mailboxes += users.Count;
                // On the grain's own scheduler (Parallel.ForEachAsync would leave it): a few calls in flight at a time.
                foreach (var chunk in users.Chunk(FanOut))
                    await Task.WhenAll(chunk.Select(user => GrainFactory.GetMailbox(CompanyId, user).Backfill(round)));
            }
            while (continuation is not null);
        }
        listed = true;
        logger.LogInformation("Backfill round {Round} of {Company}: {Leads} leads, {Mailboxes} mailboxes",
            round, CompanyId, State.LeadsInRound, State.Mailboxes);
        if (waitingFor.Count == 0) await FinishAsync();
        else await state.WriteStateAsync();
    }

    private async Task FinishAsync()
    {
        (State.Running, State.FinishedAt) = (false, clock.Now);
        waitingFor.Clear();
        await state.WriteStateAsync();
        if (State.LeadsWaiting > 0) Arm(options.Value.LeadBackfillDelay);
        else await DropReminderAsync();
    }

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }
}
