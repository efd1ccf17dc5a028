using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailSync.Grains.Interfaces.Timeline;
using MimeKit;

namespace MailSync.Grains.Sync;

/// <summary>Turns fetched envelopes into timeline entries: one per (message, matched lead).</summary>
public static class TimelineEntryBuilder
{
    /// <summary>Every distinct participant address (From, To, Cc) of the batch, except the mailbox's own.</summary>
    public static IReadOnlyCollection<string> Participants(IEnumerable<IMessageSummary> batch, string ownAddress)
    {
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var summary in batch)
        {
            if (summary.Envelope is not { } envelope) continue;
            foreach (var address in Addresses(envelope.From).Concat(Addresses(envelope.To)).Concat(Addresses(envelope.Cc)))
                addresses.Add(address);
        }
        addresses.Remove(ownAddress);
        return addresses;
    }

    public static List<TimelineEntry> Build(
        IEnumerable<IMessageSummary> batch, IReadOnlyDictionary<string, IReadOnlyList<string>> leadsByAddress, string ownAddress, string userId)
    {
        var entries = new List<TimelineEntry>();
        var leads = new HashSet<string>(StringComparer.Ordinal);
        foreach (var summary in batch)
        {
            if (summary.Envelope is not { } envelope) continue;
            var from = Addresses(envelope.From).FirstOrDefault() ?? "";
            string[] to = [.. Addresses(envelope.To)];
            string[] cc = [.. Addresses(envelope.Cc)];
            leads.Clear();
            foreach (var address in cc.Concat(to).Append(from))
            {
                if (!string.Equals(address, ownAddress, StringComparison.OrdinalIgnoreCase) && leadsByAddress.TryGetValue(address, out var ids))
                    leads.UnionWith(ids);
            }
            if (leads.Count == 0) continue;

            var date = envelope.Date ?? summary.InternalDate ?? DateTimeOffset.UnixEpoch;
            var messageId = envelope.MessageId is { Length: > 0 } id ? id : SyntheticMessageId(from, to, cc, envelope.Subject, date);
            var direction = string.Equals(from, ownAddress, StringComparison.OrdinalIgnoreCase) ? MessageDirection.Sent : MessageDirection.Received;
            foreach (var lead in leads.Order(StringComparer.Ordinal))
                entries.Add(new TimelineEntry(lead, messageId, envelope.Subject ?? "", date, direction, from, to, cc, userId));
        }
        return entries;
    }

    /// <summary>A stable id for a message without Message-ID, so both copies of it (INBOX and Sent) agree.</summary>
    public static string SyntheticMessageId(string from, IEnumerable<string> to, IEnumerable<string> cc, string? subject, DateTimeOffset date)
    {
        var text = string.Join('\n', from.ToLowerInvariant(), string.Join(',', to.Select(a => a.ToLowerInvariant())),
            string.Join(',', cc.Select(a => a.ToLowerInvariant())), subject ?? "", date.ToUnixTimeSeconds());
        return $"synthetic-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16))}@mailsync.invalid";
    }

    private static IEnumerable<string> Addresses(InternetAddressList? list) =>
        list is null ? [] : list.Mailboxes.Select(m => m.Address).Where(a => !string.IsNullOrEmpty(a));
}
