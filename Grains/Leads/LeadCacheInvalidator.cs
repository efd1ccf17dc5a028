using MailSync.Grains.Interfaces.Leads;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Services;

namespace MailSync.Grains.Leads;

/// <summary>
/// Tells every active silo's <see cref="LeadCacheService"/> to forget changed addresses, before a lead write answers:
/// the next message on any silo sees the change. A silo that does not answer is asked again while it is still a member;
/// one that left the cluster took its cache with it.
/// </summary>
public sealed class LeadCacheInvalidator(IServiceProvider services) : GrainServiceClient<ILeadCacheService>(services)
{
    private const int Attempts = 5;
    private readonly IClusterMembershipService membership = services.GetRequiredService<IClusterMembershipService>();

    public async Task ForgetEverywhereAsync(string companyId, IReadOnlyCollection<string> addressKeys)
    {
        if (addressKeys.Count == 0) return;
        IReadOnlyList<string> keys = [.. addressKeys];
        var pending = ActiveSilos();
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var failed = new List<SiloAddress>();
            await Task.WhenAll(pending.Select(async silo =>
            {
                try
                {
                    await GetGrainService(silo).Forget(companyId, keys);
                }
                catch (Exception) when (attempt < Attempts)
                {
                    lock (failed) failed.Add(silo);
                }
            }));
            if (failed.Count > 0) await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            var active = ActiveSilos();
            pending = [.. failed.Where(active.Contains)];
        }
    }

    private List<SiloAddress> ActiveSilos() =>
        [.. membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress)];
}
