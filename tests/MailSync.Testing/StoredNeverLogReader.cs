using MailSync.Grains.NeverLog;

namespace MailSync.Testing;

/// <summary>
/// The never-log lists read straight from rows, for the sync engine outside a cluster (the product asks the company's
/// never-log grain, <see cref="NeverLogReader"/>).
/// </summary>
public sealed class StoredNeverLogReader(NeverLogRows rows) : INeverLogReader
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
