using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Timeline;
using MimeKit;
using MimeKit.Utils;

namespace MailSync.Grains.Sync;

/// <summary>
/// Turns fetched envelopes into timeline entries: one per (message,
/// matched lead), within <see cref="TimelineEntryBounds"/>.
/// </summary>
public static class TimelineEntryBuilder
{
    private static readonly HeaderId[] HeaderFields =
        [HeaderId.From, HeaderId.To, HeaderId.Cc, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId];

    /// <summary>
    /// What a pass fetches of each message: its UID, INTERNALDATE and the header fields an entry is made of. Not
    /// ENVELOPE: MailKit refuses any ENVELOPE string over 4 KiB (a 40,000-character subject, a 5,000-character
    /// Message-ID) with an ImapProtocolException that ends the pass every time, while header fields are read as a stream
    /// of any size.
    /// </summary>
    public static IFetchRequest FetchRequest => FetchRequestFor(gmail: false);

    /// <summary>
    /// <see cref="FetchRequest"/>, with the flags (a draft is no email exchanged) and, on Gmail (X-GM-EXT-1), the labels:
    /// All Mail holds no spam or trash, and a message labelled so anyway is skipped.
    /// </summary>
    public static IFetchRequest FetchRequestFor(bool gmail) => new FetchRequest(
        MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate | MessageSummaryItems.Flags
        | (gmail ? MessageSummaryItems.GMailLabels : MessageSummaryItems.None), HeaderFields);

    /// <summary>Labels (Gmail) and flags of messages that never reach a timeline: spam, trash and drafts.</summary>
    private static readonly string[] SkippedLabels = ["\\Spam", "\\Trash", "\\Draft"];

    /// <summary>The envelope of a message that may reach a timeline: none for drafts, spam and trash, or without headers.</summary>
    private static Envelope? RecordableEnvelope(IMessageSummary summary)
    {
        if (summary.Flags is { } flags && flags.HasFlag(MessageFlags.Draft)) return null;
        if (summary.GMailLabels is { Count: > 0 } labels && labels.Any(l => SkippedLabels.Contains(l, StringComparer.OrdinalIgnoreCase)))
            return null;
        return EnvelopeOf(summary);
    }

    /// <summary>
    /// The message's envelope: as fetched (ENVELOPE), or read from its fetched header fields the way MailKit reads an
    /// ENVELOPE (first header of each name, Message-ID without its angle brackets, an unparsable Date as none).
    /// </summary>
    public static Envelope? EnvelopeOf(IMessageSummary summary)
    {
        if (summary.Envelope is { } fetched) return fetched;
        if (summary.Headers is not { } headers) return null;
        var envelope = new Envelope { Subject = headers[HeaderId.Subject] };
        if (headers[HeaderId.Date] is { } date && DateUtils.TryParse(date, out var parsed)) envelope.Date = parsed;
        if (headers[HeaderId.MessageId] is { } id)
        {
            try
            {
                envelope.MessageId = MimeUtils.ParseMessageId(id);
            }
            catch (ParseException)
            {
                envelope.MessageId = id;
            }
        }
        AddAddresses(envelope.From, headers, HeaderId.From);
        AddAddresses(envelope.To, headers, HeaderId.To);
        AddAddresses(envelope.Cc, headers, HeaderId.Cc);
        return envelope;
    }

    /// <summary>Every distinct participant address (From, To, Cc) of the batch, except the mailbox's own.</summary>
    public static IReadOnlyCollection<string> Participants(IEnumerable<IMessageSummary> batch, string ownAddress)
    {
        var addresses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var summary in batch)
        {
            if (RecordableEnvelope(summary) is not { } envelope) continue;
            foreach (var address in Addresses(envelope.From).Concat(Addresses(envelope.To)).Concat(Addresses(envelope.Cc)))
                addresses.Add(address);
        }
        addresses.Remove(ownAddress);
        return addresses;
    }

    /// <summary>
    /// One entry per (message, matched lead); a message with any participant but the mailbox's own that
    /// <paramref name="neverLog"/> names is not recorded at all.
    /// </summary>
    public static List<TimelineEntry> Build(
        IEnumerable<IMessageSummary> batch, IReadOnlyDictionary<string, IReadOnlyList<string>> leadsByAddress, string ownAddress,
        string userId, Func<string, bool>? neverLog = null)
    {
        var entries = new List<TimelineEntry>();
        var leads = new HashSet<string>(StringComparer.Ordinal);
        foreach (var summary in batch)
        {
            if (RecordableEnvelope(summary) is not { } envelope) continue;
            var from = Addresses(envelope.From).FirstOrDefault() ?? "";
            string[] to = [.. Addresses(envelope.To)];
            string[] cc = [.. Addresses(envelope.Cc)];
            leads.Clear();
            foreach (var address in cc.Concat(to).Append(from))
            {
                if (!string.Equals(address, ownAddress, StringComparison.OrdinalIgnoreCase) &&
                    leadsByAddress.TryGetValue(address, out var ids))
                {
                    leads.UnionWith(ids);
                }
            }
            if (leads.Count == 0) continue;
            if (neverLog is not null && cc.Concat(to).Append(from).Any(a =>
                !string.Equals(a, ownAddress, StringComparison.OrdinalIgnoreCase) && neverLog(a)))
                continue;

            var date = envelope.Date ?? summary.InternalDate ?? DateTimeOffset.UnixEpoch;
            var messageId = envelope.MessageId is { Length: > 0 } id ? id : SyntheticMessageId(from, to, cc, envelope.Subject, date);
            var direction = string.Equals(from, ownAddress, StringComparison.OrdinalIgnoreCase)
                ? MessageDirection.Sent
                : MessageDirection.Received;
            // Leads are matched on every address; what is stored is bounded (a 40,000-character subject, 2,000 Cc).
            var entry = TimelineEntryBounds.Apply(
                new TimelineEntry("", messageId, envelope.Subject ?? "", date, direction, from, to, cc, userId));
            foreach (var lead in leads.Order(StringComparer.Ordinal))
                entries.Add(entry with { LeadId = lead });
        }
        return entries;
    }

    /// <summary>A stable id for a message without Message-ID, so both copies of it (INBOX and Sent) agree.</summary>
    public static string SyntheticMessageId(
        string from, IEnumerable<string> to, IEnumerable<string> cc, string? subject, DateTimeOffset date)
    {
        var text = string.Join('\n', from.ToLowerInvariant(), string.Join(',', to.Select(a => a.ToLowerInvariant())),
            string.Join(',', cc.Select(a => a.ToLowerInvariant())), subject ?? "", date.ToUnixTimeSeconds());
        return $"synthetic-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16))}@mailsync.invalid";
    }

    private static void AddAddresses(InternetAddressList list, HeaderList headers, HeaderId id)
    {
        var index = headers.IndexOf(id);
        if (index >= 0 && InternetAddressList.TryParse(ParserOptions.Default, headers[index].RawValue, out var parsed))
            list.AddRange(parsed);
    }

    private static IEnumerable<string> Addresses(InternetAddressList? list) =>
        list is null ? [] : list.Mailboxes.Select(m => m.Address).Where(a => !string.IsNullOrEmpty(a));
}
