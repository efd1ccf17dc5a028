using Orleans.Services;

namespace MailSync.Grains.Interfaces.Leads;

/// <summary>One per silo: the silo's memory of which addresses are leads, told when they change.</summary>
[Alias("MailSync.ILeadCacheService")]
public interface ILeadCacheService : IGrainService
{
    /// <summary>Forgets what is known of these address digests of the company.</summary>
    [Alias("Forget")]
    Task Forget(string companyId, IReadOnlyList<string> addressKeys);
}
