using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Leads;

/// <summary>
/// What an upsert does to the address index, from each lead and what was stored for it before: the lead joins the
/// list of its address (kept even when unchanged, so a repeat repairs an earlier attempt cut short), and leaves the
/// list of its old address when that differs.
/// </summary>
public static class LeadIndexEdits
{
    public static IReadOnlyDictionary<string, AddressEdit> For(IReadOnlyList<(Lead Lead, Lead? Old)> upserts)
    {
        var edits = new List<(string Key, string LeadId, bool Add)>();
        foreach (var (lead, old) in upserts)
        {
            var key = LeadKeys.Address(lead.Email);
            edits.Add((key, lead.LeadId, true));
            if (old is not null && LeadKeys.Address(old.Email) is var oldKey && oldKey != key) edits.Add((oldKey, lead.LeadId, false));
        }
        return edits.GroupBy(e => e.Key).ToDictionary(
            g => g.Key,
            g => new AddressEdit([.. g.Where(e => e.Add).Select(e => e.LeadId)], [.. g.Where(e => !e.Add).Select(e => e.LeadId)]));
    }

    /// <summary>The leads that match an address they did not before: created, or moved to another address.</summary>
    public static IReadOnlyList<Lead> NewlyMatched(IReadOnlyList<(Lead Lead, Lead? Old)> upserts) =>
        [.. upserts.Where(u => u.Old is null || LeadKeys.Address(u.Old.Email) != LeadKeys.Address(u.Lead.Email)).Select(u => u.Lead)];
}
