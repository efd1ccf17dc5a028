namespace MailSync.Grains.NeverLog;

/// <summary>
/// Reads the lists and the internal-mail rule for each batch that matched a lead (three reads of one small partition;
/// quiet polls read nothing). Nothing is cached: a new entry holds for every batch that reads after it is added, and the
/// removal that follows waits out batches already past their read (<see cref="NeverLogGrain.SweepGrace"/>).
/// </summary>
public sealed class NeverLogReader(NeverLogRows rows) : INeverLogReader
{
    public async Task<NeverLogRules> ReadAsync(
        string companyId, string userId, string ownAddress, CancellationToken cancellationToken = default)
    {
        var company = rows.ListAsync(companyId, null, cancellationToken);
        var user = rows.ListAsync(companyId, userId, cancellationToken);
        var internalMail = rows.GetInternalMailAsync(companyId, cancellationToken);
        await Task.WhenAll(company, user, internalMail);
        return new NeverLogRules((await company).Concat(await user).Select(e => e.Value), await internalMail, ownAddress);
    }
}
