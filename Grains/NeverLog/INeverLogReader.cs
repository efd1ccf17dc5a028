namespace MailSync.Grains.NeverLog;

/// <summary>The rules a mailbox's batch is recorded under, read when the batch has something to record.</summary>
public interface INeverLogReader
{
    Task<NeverLogRules> ReadAsync(string companyId, string userId, string ownAddress, CancellationToken cancellationToken = default);
}
