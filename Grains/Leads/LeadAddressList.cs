using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Grains.Leads;

/// <summary>
/// The leads at one address, as its index row keeps them: ids in ordinal order, separated by spaces (an id never holds
/// one). Bounded by <see cref="MaxLeads"/> so the row stays within Azure's 64 KiB property.
/// </summary>
public static class LeadAddressList
{
    /// <summary>400 ids of 64 characters fill 26,000 of the property's 32,767 UTF-16 characters.</summary>
    public const int MaxLeads = LeadUpsertResult.MaxLeadsPerAddress;

    public static IReadOnlyList<string> Parse(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Format(IEnumerable<string> leadIds) => string.Join(' ', leadIds.Order(StringComparer.Ordinal));

    /// <summary>The list with the edit's leads added and removed, in order.</summary>
    public static IReadOnlyList<string> Apply(IReadOnlyList<string> current, AddressEdit edit)
    {
        var leads = new SortedSet<string>(current, StringComparer.Ordinal);
        leads.ExceptWith(edit.Removed);
        leads.UnionWith(edit.Added);
        return [.. leads];
    }
}
