using MailSync.Grains.Interfaces.Scheduling;
using MailSync.Grains.Scheduling;
using Microsoft.Extensions.Logging;

namespace MailSync.Grains.Mailboxes;

/// <summary>
/// A mailbox activation's link to its schedule keeper, which brings a polling mailbox back within seconds after its
/// activation is lost: told once per change between polling and not, and once per activation with this silo's address.
/// One per activation.
/// </summary>
internal sealed class KeeperLink(string mailbox, IGrainContext activation, IGrainFactory grains, int shards, ILogger logger)
{
    /// <summary>How long a connect waits for its keeper to confirm.</summary>
    private static readonly TimeSpan KeepTimeout = TimeSpan.FromSeconds(5);

    /// <summary>What this activation last told its keeper: kept active (polling) or not; null before telling.</summary>
    private bool? keptActive;

    private long sequence;

    private IScheduleKeeperGrain Keeper => grains.GetGrain<IScheduleKeeperGrain>(ScheduleShards.Of(mailbox, shards));

    private SiloAddress Silo => activation.Address.SiloAddress!;

    public ResumeAnswer Resume() => new(Silo, keptActive == true, Sequence());

    /// <summary>A polling mailbox whose activation goes (shutdown, rebalancing) asks its keeper to bring it back at once.</summary>
    public void Deactivating()
    {
        if (keptActive == true) Tell(keeper => keeper.Deactivated(mailbox));
    }

    /// <summary>Tells the keeper when the mailbox starts or stops polling; an activation that never polled has nothing to say.</summary>
    public void Report(bool polls)
    {
        if (polls == keptActive) return;
        var tell = polls || keptActive == true; // a stale entry is dropped when the keeper resumes it
        keptActive = polls;
        var (silo, next) = (Silo, Sequence());
        if (tell) Tell(keeper => polls ? keeper.Watch(mailbox, silo, next) : keeper.Unwatch(mailbox, next));
    }

    /// <summary>
    /// A new connection waits until its keeper saved it: a silo lost a moment later must not take the only record of a mailbox
    /// to keep polling with it. A keeper that cannot answer leaves it to the one-way Watch already sent and the reminder.
    /// </summary>
    public async Task KeepAsync()
    {
        if (keptActive != true) return;
        try
        {
            await Keeper.Keep(mailbox, Silo, Sequence()).WaitAsync(KeepTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning("Schedule keeper of {Mailbox} did not confirm ({Fault}); the reminder is the backstop",
                mailbox, e.GetType().Name);
        }
    }

    /// <summary>
    /// Orders this mailbox's reports to its keeper (one-way messages may overtake each other): wall-clock ticks, increasing
    /// within an activation, and later for a later activation as far as the silos' clocks agree.
    /// </summary>
    private long Sequence() => sequence = Math.Max(sequence + 1, DateTime.UtcNow.Ticks);

    /// <summary>
    /// A one-way message to the keeper: it never waits and never fails the mailbox's turn (a lost message is healed by the
    /// next activation's report and, last, by the reminder).
    /// </summary>
    private void Tell(Func<IScheduleKeeperGrain, Task> message)
    {
        try
        {
            _ = message(Keeper);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogDebug("Schedule keeper of {Mailbox} not told ({Fault})", mailbox, e.GetType().Name);
        }
    }
}
