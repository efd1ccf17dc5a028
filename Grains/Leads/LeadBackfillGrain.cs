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
/// Rounds of backfill for one company. Lead writes within <c>MailSync:LeadBackfillDelay</c> of the first share a round
/// (a long import is not held back until it ends); writes during a round wait for the next. A round lists the mailboxes
/// that sync (Enabled, or with a connection issue) and asks them in turn, <c>MailSync:LeadBackfillConcurrency</c> at a
/// time, to read their initial window again on their next pass (within the company's and the host's shares like any
/// pass): a burst of backfill never crowds out the company's polls or its imports. A mailbox that has not answered
/// within <see cref="AnswerLimit"/> is passed over (it reads the window again in a later round). A reminder carries a
/// waiting or running round over the loss of this activation; a round cut short starts again. Answers are counted in
/// memory and saved with the end of the round.
/// </summary>
public sealed class LeadBackfillGrain(
    [PersistentState("lead-backfill", StorageNames.GrainState)] IPersistentState<LeadBackfillState> state,
    IOptions<MailSyncOptions> options, MailSyncClock clock, ILogger<LeadBackfillGrain> logger)
    : Grain, ILeadBackfillGrain, IRemindable
{
    public static readonly TimeSpan AnswerLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(30);
    private const string ReminderName = "lead-backfill";
    private const int PageSize = 500;
    private static readonly MailboxStatus[] SyncingStatuses = [MailboxStatus.Enabled, MailboxStatus.ConnectionIssue];

    private readonly Queue<string> toAsk = new();
    private readonly Dictionary<string, DateTimeOffset> asked = new(StringComparer.Ordinal);
    private IGrainTimer? timer;
    private bool listed;
    private bool armed;
    private bool reminderHeld;

    private string CompanyId => this.GetPrimaryKeyString();

    private LeadBackfillState State => state.State;

    public async Task LeadsMatched(int leads)
    {
        State.LeadsWaiting += leads;
        await state.WriteStateAsync();
        if (!reminderHeld) await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        reminderHeld = true;
        if (!State.Running && !armed) Arm(options.Value.LeadBackfillDelay);
    }

    public async Task MailboxDone(string userId, int round)
    {
        if (round != State.Round || !State.Running || !asked.Remove(userId)) return;
        State.MailboxesDone++;
        await AskMoreAsync();
    }

    public Task<LeadBackfillProgress> GetProgress() => Task.FromResult(new LeadBackfillProgress(
        State.Round, State.Running, State.LeadsInRound, State.LeadsWaiting, State.Mailboxes, State.MailboxesDone,
        State.StartedAt, State.FinishedAt));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (State.Running && !listed) await StartAsync(again: true); // this activation lost the round's mailboxes
        else if (!State.Running && State.LeadsWaiting > 0 && !armed) Arm(TimeSpan.Zero);
        else if (!State.Running && State.LeadsWaiting == 0) await DropReminderAsync();
    }

    private void Arm(TimeSpan due)
    {
        armed = true;
        var options = new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan) { KeepAlive = true };
        if (timer is null) timer = this.RegisterGrainTimer(OnTimerAsync, options);
        else timer.Change(due, Timeout.InfiniteTimeSpan);
    }

    private async Task OnTimerAsync()
    {
        armed = false;
        if (!State.Running && State.LeadsWaiting > 0)
        {
            await StartAsync(again: false);
        }
        else if (State.Running && listed)
        {
            // Mailboxes that did not answer in time (failing, or gone): passed over, so the round goes on.
            foreach (var late in asked.Where(a => clock.Now - a.Value >= AnswerLimit).Select(a => a.Key).ToList()) asked.Remove(late);
            await AskMoreAsync();
        }
        if (State.Running) Arm(CheckInterval);
    }

    /// <summary>Opens a round (or the running one again), lists the company's syncing mailboxes and asks the first of them.</summary>
    private async Task StartAsync(bool again)
    {
        if (!again)
        {
            State.Round++;
            (State.LeadsInRound, State.LeadsWaiting) = (State.LeadsWaiting, 0);
        }
        (State.Running, State.StartedAt, State.FinishedAt, State.Mailboxes, State.MailboxesDone) = (true, clock.Now, null, 0, 0);
        listed = false;
        toAsk.Clear();
        asked.Clear();
        await state.WriteStateAsync();

        var directory = GrainFactory.GetGrain<ICompanyDirectoryGrain>(CompanyId);
        var listedUsers = new HashSet<string>(StringComparer.Ordinal);
        // A mailbox with a connection issue is asked too: it backfills on the first pass that reaches its server.
        foreach (var status in SyncingStatuses)
        {
            string? continuation = null;
            do
            {
                var page = await directory.GetUsers(PageSize, continuation, status);
                continuation = page.Next;
                foreach (var user in page.Items.Select(m => m.UserId).Where(listedUsers.Add)) toAsk.Enqueue(user);
            }
            while (continuation is not null);
        }
        State.Mailboxes = toAsk.Count;
        listed = true;
        logger.LogInformation("Backfill round {Round} of {Company}: {Leads} leads, {Mailboxes} mailboxes",
            State.Round, CompanyId, State.LeadsInRound, State.Mailboxes);
        Arm(CheckInterval);
        await AskMoreAsync();
    }

    /// <summary>Asks mailboxes until as many are at it as the concurrency allows; ends the round when none is left.</summary>
    private async Task AskMoreAsync()
    {
        var round = State.Round;
        var batch = new List<string>();
        while (asked.Count < options.Value.LeadBackfillConcurrency && toAsk.TryDequeue(out var user))
        {
            asked[user] = clock.Now;
            batch.Add(user);
        }
        await Task.WhenAll(batch.Select(user => GrainFactory.GetMailbox(CompanyId, user).Backfill(round)));
        if (listed && toAsk.Count == 0 && asked.Count == 0) await FinishAsync();
    }

    private async Task FinishAsync()
    {
        (State.Running, State.FinishedAt) = (false, clock.Now);
        await state.WriteStateAsync();
        if (State.LeadsWaiting > 0)
        {
            Arm(options.Value.LeadBackfillDelay);
            return;
        }
        timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        armed = false;
        await DropReminderAsync();
    }

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        reminderHeld = false;
    }
}
