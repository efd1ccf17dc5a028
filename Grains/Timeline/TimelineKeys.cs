using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Timeline;

/// <summary>
/// Deterministic keys of a timeline entry: partition = company | lead; row = newest-first date | hash(Message-ID).
/// The same message seen twice (re-sync, retry, INBOX and Sent) maps to the same row.
/// </summary>
public static class TimelineKeys
{
    public static string Partition(string companyId, string leadId) => TableKeys.Join(companyId, leadId);

    public static string Row(TimelineEntry entry) => $"{TableKeys.NewestFirst(entry.Date)}{TableKeys.Separator}{TableKeys.Hash(entry.MessageId)}";

    /// <summary>All partitions of one company lie in [CompanyStart, CompanyEnd).</summary>
    public static string CompanyStart(string companyId) => TableKeys.Escape(companyId) + TableKeys.Separator;

    public static string CompanyEnd(string companyId) => TableKeys.Escape(companyId) + (char)(TableKeys.Separator + 1);
}
