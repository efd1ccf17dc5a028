using MailKit;
using MailSync.Grains.Sync;
using MimeKit;

namespace MailSync.UnitTests.Timeline;

/// <summary>Entries built from what a pass fetches: header fields (never ENVELOPE, which MailKit refuses over 4 KiB a string).</summary>
public sealed class TimelineEntryBuilderTests
{
    private const string Me = "ann@acme.test";
    private static readonly Dictionary<string, IReadOnlyList<string>> Leads = new(StringComparer.OrdinalIgnoreCase) { ["lee@lead.example"] = ["lee"] };
    private static readonly DateTimeOffset Date = new(2026, 11, 1, 10, 30, 0, TimeSpan.FromHours(1));

    [Fact]
    public void A_pass_fetches_header_fields_not_the_envelope()
    {
        var request = TimelineEntryBuilder.FetchRequest;

        Assert.Equal(MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate | MessageSummaryItems.Flags, request.Items);
        Assert.Equal(["CC", "DATE", "FROM", "MESSAGE-ID", "SUBJECT", "TO"], request.Headers!.Order());
        Assert.True(TimelineEntryBuilder.FetchRequestFor(gmail: true).Items.HasFlag(MessageSummaryItems.GMailLabels));
    }

    [Theory]
    [InlineData(MessageFlags.Draft, null)]
    [InlineData(MessageFlags.Seen, "\\Spam")]
    [InlineData(MessageFlags.Seen, "\\Trash")]
    [InlineData(MessageFlags.Seen, "\\Draft")]
    public void Drafts_and_what_Gmail_labels_spam_or_trash_never_reach_a_timeline(MessageFlags flags, string? label)
    {
        var message = Message("Offer", [Me], ["lee@lead.example"]);
        var skipped = FromHeaders(message);
        skipped.Flags = flags;
        if (label is not null) skipped.GMailLabels = ["Clients", label];
        var kept = FromHeaders(message);
        kept.Flags = MessageFlags.Seen;
        kept.GMailLabels = ["Clients", "\\Important"];

        Assert.Empty(TimelineEntryBuilder.Build([skipped], Leads, Me, "ann"));
        Assert.Empty(TimelineEntryBuilder.Participants([skipped], Me));
        Assert.Single(TimelineEntryBuilder.Build([kept], Leads, Me, "ann"));
    }

    [Fact]
    public void Header_fields_give_the_entry_the_envelope_gave()
    {
        var message = Message("Re: \"quoted\", and café", ["Ann Example <ann@acme.test>", "bob@acme.test"], ["\"Lee, L.\" <lee@lead.example>"]);
        var fromEnvelope = new MessageSummary(0) { Envelope = new Envelope { Subject = message.Subject, Date = Date, MessageId = "m1@lead.example" } };
        fromEnvelope.Envelope.From.Add(new MailboxAddress("Someone", "someone@elsewhere.example"));
        fromEnvelope.Envelope.To.AddRange([new MailboxAddress("Ann Example", Me), new MailboxAddress(null, "bob@acme.test")]);
        fromEnvelope.Envelope.Cc.Add(new MailboxAddress("Lee, L.", "lee@lead.example"));

        var viaHeaders = Assert.Single(TimelineEntryBuilder.Build([FromHeaders(message)], Leads, Me, "ann"));
        var viaEnvelope = Assert.Single(TimelineEntryBuilder.Build([fromEnvelope], Leads, Me, "ann"));

        Assert.Equal(("m1@lead.example", "Re: \"quoted\", and café", Date), (viaHeaders.MessageId, viaHeaders.Subject, viaHeaders.Date));
        Assert.Equal(viaEnvelope with { To = [], Cc = [] }, viaHeaders with { To = [], Cc = [] });
        Assert.Equal(viaEnvelope.To, viaHeaders.To);
        Assert.Equal(viaEnvelope.Cc, viaHeaders.Cc);
        Assert.Equal(["someone@elsewhere.example", Me, "bob@acme.test", "lee@lead.example"], TimelineEntryBuilder.Participants([FromHeaders(message)], "nobody@x"));
    }

    [Fact]
    public void A_40000_character_subject_and_2000_Cc_are_read_whole_matched_on_every_address_and_stored_bounded()
    {
        var subject = string.Join(' ', Enumerable.Repeat("abcdefg", 5000)) + "!";
        string[] cc = [.. Enumerable.Range(0, 2000).Select(i => i == 1500 ? "lee@lead.example" : $"cc{i}@many.example")]; // the lead is far past the 100 kept
        var summary = FromHeaders(Message(subject, [Me], cc));

        var envelope = TimelineEntryBuilder.EnvelopeOf(summary)!;
        var entry = Assert.Single(TimelineEntryBuilder.Build([summary], Leads, Me, "ann"));

        Assert.Equal((subject, 2000), (envelope.Subject, envelope.Cc.Count));
        Assert.Equal("lee", entry.LeadId);
        Assert.Equal((subject[..999] + "…", true), (entry.Subject, entry.SubjectShortened));
        Assert.Equal(cc.Take(100), entry.Cc);
        Assert.Equal((1, 2000), (entry.ToCount, entry.CcCount));
    }

    [Fact]
    public void Missing_or_broken_fields_give_what_an_envelope_would_and_a_synthetic_id()
    {
        var headers = HeaderList.Load(new MemoryStream("From: lee@lead.example\r\nDate: not a date\r\nSubject: hi\r\n\r\n"u8.ToArray()));
        var summary = new MessageSummary(0) { Headers = headers, InternalDate = Date };

        var entry = Assert.Single(TimelineEntryBuilder.Build([summary], Leads, Me, "ann"));

        Assert.Equal((Date, "lee@lead.example", 0, 0), (entry.Date, entry.From, entry.ToCount, entry.CcCount));
        Assert.StartsWith("synthetic-", entry.MessageId);
    }

    private static MimeMessage Message(string subject, string[] to, string[] cc)
    {
        var message = new MimeMessage { Subject = subject, Date = Date, MessageId = "m1@lead.example", Body = new TextPart("plain") { Text = "hi" } };
        message.From.Add(new MailboxAddress("Someone", "someone@elsewhere.example"));
        foreach (var address in to) message.To.Add(InternetAddress.Parse(address));
        foreach (var address in cc) message.Cc.Add(InternetAddress.Parse(address));
        return message;
    }

    /// <summary>A summary as a fetch of header fields gives it: the headers as the server sends them, parsed.</summary>
    private static MessageSummary FromHeaders(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.Headers.WriteTo(stream);
        stream.Position = 0;
        return new MessageSummary(0) { Headers = HeaderList.Load(stream), InternalDate = Date.AddDays(1) };
    }
}
