using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Leads;

/// <summary>
/// What a write to the lead tables did. <see cref="Created"/> per lead of the request; <see cref="AddressKeys"/> are
/// the addresses whose leads changed (caches forget them); <see cref="NewlyMatched"/> are the leads that now match an
/// address they did not before (created, or moved to another address); <see cref="FullAddresses"/>, when not empty,
/// names the addresses that already have <see cref="LeadAddressList.MaxLeads"/> leads, and then nothing was changed.
/// </summary>
public sealed record LeadChanges(
    IReadOnlyList<bool> Created, IReadOnlyCollection<string> AddressKeys, IReadOnlyList<Lead> NewlyMatched,
    IReadOnlyList<string> FullAddresses)
{
    public static LeadChanges Refused(IReadOnlyList<string> fullAddresses) => new([], [], [], fullAddresses);
}
