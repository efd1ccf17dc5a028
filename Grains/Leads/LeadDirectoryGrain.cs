using MailSync.Grains.Interfaces.Leads;
using Orleans.Concurrency;

namespace MailSync.Grains.Leads;

/// <summary>
/// Writes through <see cref="ILeadStore"/>, then makes every silo forget the addresses it changed, then has the company's
/// backfill bring the past emails of new and moved leads.
/// </summary>
[StatelessWorker]
public sealed class LeadDirectoryGrain(ILeadStore store, LeadLookup lookup, LeadCacheInvalidator caches) : Grain, ILeadDirectoryGrain
{
    private string CompanyId => this.GetPrimaryKeyString();

    public async Task<LeadUpsertResult> Upsert(IReadOnlyList<Lead> leads)
    {
        var changes = await store.UpsertAsync(CompanyId, leads);
        if (changes.FullAddresses.Count > 0)
        {
            var full = changes.FullAddresses.ToHashSet();
            return new LeadUpsertResult([], [.. leads.Select(l => l.Email).Where(e => full.Contains(LeadKeys.Address(e)))]);
        }
        await caches.ForgetEverywhereAsync(CompanyId, changes.AddressKeys);
        // Emails with them may already be in the company's mailboxes: a round of backfill brings them along.
        if (changes.NewlyMatched.Count > 0)
            await GrainFactory.GetGrain<ILeadBackfillGrain>(CompanyId).LeadsMatched(changes.NewlyMatched.Count);
        return new LeadUpsertResult(changes.Created, []);
    }

    public async Task<bool> Remove(string leadId)
    {
        if (await store.RemoveAsync(CompanyId, leadId) is not { } changes) return false;
        await caches.ForgetEverywhereAsync(CompanyId, changes.AddressKeys);
        return true;
    }

    public Task<Lead?> Get(string leadId) => store.GetAsync(CompanyId, leadId);

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> Resolve(IReadOnlyCollection<string> addresses) =>
        lookup.ResolveAsync(CompanyId, addresses);
}
