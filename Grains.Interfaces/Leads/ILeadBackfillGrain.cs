namespace MailSync.Grains.Interfaces.Leads;

/// <summary>
/// A company's backfill (key: companyId): when leads are created or move to another address, every mailbox of the
/// company reads its initial window again for them. Lead writes that come close together share one round, so an import
/// costs each mailbox one header pass per round, not one search per lead.
/// </summary>
[Alias("MailSync.ILeadBackfillGrain")]
public interface ILeadBackfillGrain : IGrainWithStringKey
{
    /// <summary>Leads were created or moved: a round starts shortly, or after the running one.</summary>
    [Alias("LeadsMatched")]
    Task LeadsMatched(int leads);

    /// <summary>The mailbox read its initial window again during the round.</summary>
    [Alias("MailboxDone")]
    Task MailboxDone(string userId, int round);

    [Alias("GetProgress")]
    Task<LeadBackfillProgress> GetProgress();
}
