using MailSync.Grains.Interfaces.Timeline;

namespace MailSync.Grains.Timeline;

/// <summary>
/// What one timeline entry may hold, whatever the email: a subject of at most <see cref="MaxSubjectLength"/>
/// characters, the first <see cref="MaxAddresses"/> To and Cc addresses (with counts of all of them), addresses of at
/// most <see cref="MaxAddressLength"/> characters, a Message-ID of at most <see cref="MaxMessageIdLength"/>. A bounded
/// entry always fits one Azure table entity (<see cref="TableEntitySize"/>) with room to spare. Shortened text ends
/// with <see cref="Ellipsis"/>; keys stay those of the full entry.
/// </summary>
public static class TimelineEntryBounds
{
    public const int MaxSubjectLength = 1000;

    /// <summary>Per list: To and Cc each keep their first 100 addresses.</summary>
    public const int MaxAddresses = 100;

    /// <summary>The longest address SMTP can carry (RFC 5321 path limit less its angle brackets).</summary>
    public const int MaxAddressLength = 254;

    /// <summary>The longest line RFC 5322 allows.</summary>
    public const int MaxMessageIdLength = 998;

    public const string Ellipsis = "…";

    /// <summary>The entry within bounds; the same instance when it already is. Applying it twice changes nothing more.</summary>
    public static TimelineEntry Apply(TimelineEntry entry)
    {
        var subject = Shorten(entry.Subject, MaxSubjectLength);
        var from = Shorten(entry.From, MaxAddressLength);
        var messageId = Shorten(entry.MessageId, MaxMessageIdLength);
        var to = Cap(entry.To);
        var cc = Cap(entry.Cc);
        if (ReferenceEquals(subject, entry.Subject) && ReferenceEquals(from, entry.From) && ReferenceEquals(messageId, entry.MessageId)
            && ReferenceEquals(to, entry.To) && ReferenceEquals(cc, entry.Cc))
            return entry;
        return entry with
        {
            Subject = subject,
            SubjectShortened = entry.SubjectShortened || !ReferenceEquals(subject, entry.Subject),
            From = from,
            MessageId = messageId,
            FullMessageIdHash = ReferenceEquals(messageId, entry.MessageId) ? entry.FullMessageIdHash : TimelineKeys.MessageIdHash(entry),
            To = to,
            ToCount = entry.ToCount,
            Cc = cc,
            CcCount = entry.CcCount,
        };
    }

    /// <summary>
    /// <paramref name="text"/> itself when it fits, else its start and an ellipsis, <paramref name="max"/> characters
    /// at most, never cutting a surrogate pair in two.
    /// </summary>
    public static string Shorten(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = max - Ellipsis.Length;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), Ellipsis);
    }

    /// <summary>The list itself when it fits, else its first <see cref="MaxAddresses"/> addresses that are not too long.</summary>
    public static IReadOnlyList<string> Cap(IReadOnlyList<string> addresses)
    {
        if (addresses.Count <= MaxAddresses && addresses.All(a => a.Length <= MaxAddressLength)) return addresses;
        return [.. addresses.Where(a => a.Length <= MaxAddressLength).Take(MaxAddresses)];
    }
}
