using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Storage;

namespace MailSync.Grains.Timeline;

/// <summary>
/// Deterministic keys of a timeline entry. Partition = company | shard of the lead (one of <see cref="Shards"/>), so
/// a sync batch fills a few full 100-entity transactions instead of one tiny transaction per lead, while a company's
/// writes still spread over several partitions. Row = lead | newest-first date | hash(Message-ID): a lead's
/// timeline is one key range, newest first, and the same message seen twice (re-sync, retry, INBOX and Sent) maps
/// to the same row. Each user who saw a message has a row of their own, ending in the user id, so removing one user's
/// history never removes what another user's mailbox also recorded; reads show one entry per message.
/// Changing <see cref="Shards"/> would move every entry: it is fixed.
/// </summary>
public static class TimelineKeys
{
    public const int Shards = 16;

    public static string Partition(string companyId, string leadId) =>
        TableKeys.Join(companyId, Shard(leadId).ToString("D2", CultureInfo.InvariantCulture));

    public static string Row(TimelineEntry entry) => MessageKey(entry) + TableKeys.Escape(entry.UserId);

    /// <summary>The part of a row key shared by every user's row of one message.</summary>
    public static string MessageKey(TimelineEntry entry) => string.Concat(
        LeadPrefix(entry.LeadId), TableKeys.NewestFirst(entry.Date), TableKeys.Separator.ToString(), MessageIdHash(entry),
        TableKeys.Separator.ToString());

    /// <summary>The hash of the full Message-ID, also once the stored one is shortened (<see cref="TimelineEntryBounds"/>).</summary>
    public static string MessageIdHash(TimelineEntry entry) => entry.FullMessageIdHash ?? TableKeys.Hash(entry.MessageId);

    /// <summary>
    /// One entry per message from rows in key order (several users' rows of a message are adjacent);
    /// <paramref name="lastMessageKey"/> carries the last message seen across pages.
    /// </summary>
    public static List<TimelineEntry> OnePerMessage(IEnumerable<TimelineEntry> rows, ref string? lastMessageKey)
    {
        var entries = new List<TimelineEntry>();
        foreach (var row in rows)
        {
            var key = MessageKey(row);
            if (key == lastMessageKey) continue;
            lastMessageKey = key;
            entries.Add(row);
        }
        return entries;
    }

    /// <summary>Every row of a lead starts with this prefix (and no other lead's row does).</summary>
    public static string LeadPrefix(string leadId) => TableKeys.Escape(leadId) + TableKeys.Separator;

    /// <summary>The first key after every row that starts with <paramref name="prefix"/>.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    /// <summary>All partitions of one company lie in [CompanyStart, PrefixEnd(CompanyStart)).</summary>
    public static string CompanyStart(string companyId) => TableKeys.Escape(companyId) + TableKeys.Separator;

    private static int Shard(string leadId) =>
        (int)(BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(leadId))) % Shards);
}
