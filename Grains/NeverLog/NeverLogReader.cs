using MailSync.Grains.Interfaces.NeverLog;

namespace MailSync.Grains.NeverLog;

/// <summary>
/// Asks the company's never-log grain, which holds the lists in memory (<see cref="NeverLogCache"/>), for each batch
/// that matched a lead; quiet polls ask nothing. An entry holds for every batch that reads after its add returned, and
/// the removal that follows waits out batches already past their read (<see cref="NeverLogGrain.SweepGrace"/>).
/// </summary>
public sealed class NeverLogReader(IGrainFactory grains) : INeverLogReader
{
    public async Task<NeverLogRules> ReadAsync(
        string companyId, string userId, string ownAddress, CancellationToken cancellationToken = default)
    {
        var snapshot = await grains.GetGrain<INeverLogGrain>(companyId).GetRules(userId).WaitAsync(cancellationToken);
        return new NeverLogRules(snapshot.Values, snapshot.InternalMail, ownAddress);
    }
}
