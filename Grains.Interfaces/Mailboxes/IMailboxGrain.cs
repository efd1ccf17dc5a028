using Orleans.Concurrency;

namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>
/// One user's mailbox (key: <see cref="MailboxKey"/>): credentials, status, retries, error log, billing. Reads are
/// interleaved so they answer while a sync attempt is running.
/// </summary>
[Alias("MailSync.IMailboxGrain")]
public interface IMailboxGrain : IGrainWithStringKey
{
    /// <summary>Connects or reconnects with new credentials; Pending when the company has no free seat.</summary>
    [Alias("Connect")]
    Task<MailboxView> Connect(MailboxCredentials credentials);

    /// <summary>
    /// A connect with a password the API was asked for: refused (nothing changes) within MailSync:ConnectCooldown of the
    /// last one it ran, so a loop of connects naming someone's host cannot make the silos dial it at the loop's rate.
    /// </summary>
    [Alias("ConnectWithCooldown")]
    Task<CooldownResult> ConnectWithCooldown(MailboxCredentials credentials);

    /// <summary>Back to NotConfigured; the seat goes to the oldest Pending user of the company.</summary>
    [Alias("Disconnect")]
    Task Disconnect(bool keepHistory);

    /// <summary>
    /// Attempts now (also the retry out of ConnectionIssue); does nothing while Pending or NotConfigured, nor within
    /// MailSync:SyncNowCooldown of the last sync now that ran.
    /// </summary>
    [Alias("SyncNow")]
    Task<CooldownResult> SyncNow();

    [AlwaysInterleave, Alias("GetStatus")]
    Task<MailboxView> GetStatus();

    /// <summary>The newest <paramref name="limit"/> error-log entries, newest first.</summary>
    [AlwaysInterleave, Alias("GetErrors")]
    Task<IReadOnlyList<MailboxError>> GetErrors(int limit);

    /// <summary>Seconds of [from, to) during which this mailbox was billable.</summary>
    [AlwaysInterleave, Alias("GetBillableSeconds")]
    Task<long> GetBillableSeconds(DateTimeOffset from, DateTimeOffset to);

    /// <summary>
    /// Nothing but the activation: the schedule keeper calls it to bring a polling mailbox back after it was lost, and
    /// learns the silo it is active on and whether it still polls.
    /// </summary>
    [AlwaysInterleave, Alias("Resume")]
    Task<Scheduling.ResumeAnswer> Resume();

    /// <summary>The mail server announced new mail in INBOX (IMAP IDLE on the mailbox's kept session): poll now.</summary>
    [OneWay, Alias("MailArrived")]
    Task MailArrived();

    /// <summary>
    /// Leads were added: read the initial window of every synced folder again on the next pass (soon), and tell the
    /// company's <c>ILeadBackfillGrain</c> when done with <paramref name="round"/>.
    /// </summary>
    [OneWay, Alias("Backfill")]
    Task Backfill(int round);

    /// <summary>The company grain's hint that a seat may now be ours; the mailbox confirms with the company.</summary>
    [OneWay, Alias("SeatMayBeFree")]
    Task SeatMayBeFree();
}
