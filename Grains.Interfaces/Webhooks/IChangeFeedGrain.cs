namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>Reads a company's mailbox status changes in order (key: companyId); stateless, so reads spread over silos.</summary>
[Alias("MailSync.IChangeFeedGrain")]
public interface IChangeFeedGrain : IGrainWithStringKey
{
    /// <summary>
    /// Changes after <paramref name="since"/> (null: from the oldest kept), at most <paramref name="limit"/>; a gap when the
    /// retention removed changes after <paramref name="since"/>.
    /// </summary>
    [Alias("GetChanges")]
    Task<ChangeFeedPage> GetChanges(long? since, int limit);
}
