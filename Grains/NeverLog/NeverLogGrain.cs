using MailSync.Grains.Interfaces.NeverLog;
using MailSync.Grains.Timeline;
using MailSync.Shared.Configuration;
using MailSync.Shared.Storage;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.NeverLog;

/// <summary>
/// A company's never-log lists, and the removals they owe. The sweep that removes what was recorded with a new entry is
/// saved with the entry, before the entry is written, so neither a crash nor a lost activation forgets it; it starts
/// <see cref="SweepGrace"/> later (a batch that read the lists before the entry existed has written by then) and goes
/// over the company's timeline <see cref="RowsPerStep"/> rows a step, saving its position after each. Entries added
/// before a sweep starts share it. A reminder brings the grain back while anything is owed. As the lists' only writer, it
/// also holds them for the batches that ask (<see cref="NeverLogCache"/>).
/// </summary>
public sealed class NeverLogGrain(
    [PersistentState("never-log", StorageNames.GrainState)] IPersistentState<NeverLogState> state,
    NeverLogRows rows, ITimelineStore timeline, IOptions<MailSyncOptions> options, MailSyncClock clock, ILogger<NeverLogGrain> logger)
    : Grain, INeverLogGrain, IRemindable
{
    public static readonly TimeSpan SweepGrace = TimeSpan.FromSeconds(10);
    public const int RowsPerStep = 1_000;
    private const int StepsPerTick = 5;
    private const int MaxTargetsPerSweep = 500;

    /// <summary>Removals owed at once, at most; past it a new entry waits (429) until they get through.</summary>
    public const int MaxTargetsWaiting = 10_000;

    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);
    private const string ReminderName = "never-log";
    private IGrainTimer? timer;
    private readonly NeverLogCache cache = new(clock.Time);

    private string CompanyId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Sweeps.Count > 0) StartTicking();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<NeverLogEntry>> List(string? userId) => rows.ListAsync(CompanyId, userId);

    public async Task<NeverLogAddResult> Add(string? userId, string value)
    {
        var normalized = NeverLogValue.Normalize(value) ?? throw new ArgumentException("Not an address or a domain.", nameof(value));
        var listed = await rows.ListAsync(CompanyId, userId);
        if (listed.FirstOrDefault(e => e.Value == normalized) is { } already) return new(NeverLogAdded.AlreadyListed, already);
        if (listed.Count >= NeverLogValue.MaxEntries) return new(NeverLogAdded.ListFull);
        if (state.State.TargetsWaiting >= MaxTargetsWaiting) return new(NeverLogAdded.RemovalsBacklogged);

        Owe(new NeverLogTarget(userId, normalized));
        await state.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        StartTicking();
        var entry = new NeverLogEntry(normalized, clock.Now);
        await ChangingAsync(userId, () => rows.AddAsync(CompanyId, userId, entry));
        logger.LogInformation("Never-log entry added for {Company} ({Scope})", CompanyId, userId is null ? "company" : "user");
        return new(NeverLogAdded.Added, entry);
    }

    public async Task<bool> Remove(string? userId, string value)
    {
        if (NeverLogValue.Normalize(value) is not { } normalized) return false;
        var removed = false;
        await ChangingAsync(userId, async () => removed = await rows.RemoveAsync(CompanyId, userId, normalized));
        return removed;
    }

    public Task<InternalMail> GetInternalMail() => rows.GetInternalMailAsync(CompanyId);

    public Task SetInternalMail(InternalMail settings) => ChangingAsync(null, () => rows.SetInternalMailAsync(CompanyId, settings));

    public async Task<NeverLogSnapshot> GetRules(string userId)
    {
        var company = await cache.CompanyAsync(ReadCompanyAsync);
        var own = company.Users is { } users
            ? users.For(userId)
            : await cache.UserAsync(userId, async () => Values(await rows.ListAsync(CompanyId, userId)));
        return new NeverLogSnapshot([.. company.Values, .. own], company.InternalMail);
    }

    public Task<NeverLogRemoval> GetRemoval() =>
        Task.FromResult(new NeverLogRemoval(state.State.TargetsWaiting, state.State.TimelineEntriesRemoved, state.State.FinishedAt));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Sweeps.Count == 0) await DropReminderAsync();
        else StartTicking();
    }

    /// <summary>Stores a change; what the grain held of it is dropped even when the write failed, as it may have landed.</summary>
    private async Task ChangingAsync(string? userId, Func<Task> write)
    {
        try
        {
            await write();
        }
        finally
        {
            cache.Changed(userId);
        }
    }

    private async Task<NeverLogCompanyRules> ReadCompanyAsync()
    {
        var list = rows.ListAsync(CompanyId, null);
        var rule = rows.GetInternalMailAsync(CompanyId);
        var users = rows.ListUsersAsync(CompanyId);
        await Task.WhenAll(list, rule, users);
        return new NeverLogCompanyRules(Values(await list), await rule, await users);
    }

    private static IReadOnlyList<string> Values(IReadOnlyList<NeverLogEntry> entries) =>
        entries.Count == 0 ? [] : [.. entries.Select(e => e.Value)];

    /// <summary>Joins the newest sweep that has not started (its start moves to this entry's grace), or opens one.</summary>
    private void Owe(NeverLogTarget target)
    {
        var sweeps = state.State.Sweeps;
        var notBefore = clock.Now + SweepGrace;
        if (sweeps.Count > 0 && sweeps[^1] is { Started: false } open && open.Targets.Count < MaxTargetsPerSweep)
            sweeps[^1] = open with { Targets = [.. open.Targets, target], NotBefore = notBefore };
        else sweeps.Add(new NeverLogSweep([target], notBefore));
    }

    private void StartTicking() =>
        timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TickInterval, TickInterval) { KeepAlive = true });

    /// <summary>A few bounded steps of the oldest sweep that is due; a storage fault waits for the next tick.</summary>
    private async Task TickAsync()
    {
        for (var i = 0; i < StepsPerTick && state.State.Sweeps is [var sweep, ..] && sweep.NotBefore <= clock.Now; i++)
        {
            TimelineDeletionStep step;
            try
            {
                step = await timeline.DeleteAsync(CompanyId, new TimelineRowFilter(null, sweep.Matcher()), RowsPerStep, sweep.From);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "Never-log removal of {Company} failed; trying again", CompanyId);
                return;
            }
            state.State.TimelineEntriesRemoved += step.Deleted;
            if (step.Done)
            {
                state.State.Sweeps.RemoveAt(0);
                state.State.FinishedAt = clock.Now;
            }
            else
            {
                state.State.Sweeps[0] = sweep with { From = step.Next };
            }
            await state.WriteStateAsync();
        }
        if (state.State.Sweeps.Count > 0) return;
        timer?.Dispose();
        timer = null;
        await DropReminderAsync();
    }

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
    }
}
