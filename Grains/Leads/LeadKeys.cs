using MailSync.Grains.Storage;

namespace MailSync.Grains.Leads;

/// <summary>
/// Where a lead and an address live in the lead tables. Both are spread over <see cref="Partitions"/> partitions per
/// company by a hash, so a big import writes to all of them at once (Azure serves about 2,000 entities a second per
/// partition), and an address is found by a point read, never by a query. A row key is a digest: an address never
/// becomes a storage key.
/// </summary>
public static class LeadKeys
{
    public const int Partitions = 16;

    /// <summary>Addresses match case-insensitively (as the local part does at every provider a CRM user meets).</summary>
    public static string Address(string address) => TableKeys.Hash(address.Trim().ToLowerInvariant());

    public static string AddressPartition(string companyId, string addressKey) => Partition(companyId, "a", addressKey);

    public static string LeadPartition(string companyId, string leadId) => Partition(companyId, "l", TableKeys.Hash(leadId));

    public static string LeadRow(string leadId) => TableKeys.Escape(leadId);

    // The first byte of a SHA-256 digest: uniform over the partitions.
    private static string Partition(string companyId, string kind, string digest) =>
        $"{TableKeys.Escape(companyId)}{TableKeys.Separator}{kind}{Convert.ToInt32(digest[..2], 16) % Partitions}";
}
