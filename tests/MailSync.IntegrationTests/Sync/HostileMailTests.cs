using MailKit;
using MailKit.Search;
using MailSync.Grains.Sync;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>
/// Mail built to be too large for one table entity, synced by the real engine from Dovecot into Azurite: the pass
/// goes on, the lead's timeline shows it bounded, the cursor moves past it.
/// </summary>
[Trait("Category", "Servers")]
public sealed class HostileMailTests
{
    private const string Lee = "lee@lead.example";
    private static readonly DateTimeOffset Yesterday = DateTimeOffset.UtcNow.AddDays(-1);

    /// <summary>40,000 characters of words, so the header can be folded.</summary>
    private static readonly string LongSubject = string.Join(' ', Enumerable.Repeat("abcdefg", 5000)) + "!";

    private static readonly string[] ManyCc = [.. Enumerable.Range(0, 2000).Select(i => $"cc{i}@many.example")];

    private readonly SyncHarness harness = new();

    public HostileMailTests() => harness.Leads.Add("lee", Lee);

    [Fact]
    public async Task A_40000_character_subject_and_2000_Cc_addresses_are_synced_bounded_and_the_cursor_moves_past_them()
    {
        var (user, password) = Dovecot.CreateUser("hostile");
        var me = Dovecot.Address(user);
        Dovecot.Plant(user, Mail.Message(Lee, [me], LongSubject, Yesterday, messageId: "long-subject@lead.example"));
        Dovecot.Plant(user, Mail.Message(Lee, [me], "many cc", Yesterday.AddMinutes(1), cc: ManyCc, messageId: "many-cc@lead.example"));
        Dovecot.Plant(user, Mail.Message(Lee, [me], "ordinary", Yesterday.AddMinutes(2), messageId: "ordinary@lead.example"));
        var credentials = Dovecot.Credentials(user, password);

        var outcome = await harness.SyncAsync(user, credentials);

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(3, outcome.MessagesSynced);
        Assert.Empty(outcome.Warnings); // nothing refused
        var timeline = await harness.TimelineOf("lee");
        Assert.Equal(["ordinary@lead.example", "many-cc@lead.example", "long-subject@lead.example"], timeline.Select(e => e.MessageId));

        var longSubject = timeline[2];
        Assert.True(longSubject.SubjectShortened);
        Assert.Equal(1000, longSubject.Subject.Length);
        Assert.StartsWith("abcdefg abcdefg abcdefg", longSubject.Subject);
        Assert.EndsWith("…", longSubject.Subject);

        var manyCc = timeline[1];
        Assert.Equal((2000, 100), (manyCc.CcCount, manyCc.Cc.Count));
        Assert.Equal(ManyCc.Take(100), manyCc.Cc);
        Assert.Equal([me], manyCc.To);
        Assert.Equal(1, manyCc.ToCount);
        Assert.False(manyCc.SubjectShortened);

        Assert.Equal(("ordinary", false, 0), (timeline[0].Subject, timeline[0].SubjectShortened, timeline[0].CcCount));

        uint lastUid;
        using (var client = await Dovecot.ConnectAsync(user, password))
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            lastUid = (await client.Inbox.SearchAsync(SearchQuery.All)).Max(uid => uid.Id);
        }
        Assert.True(harness.Cursors[FolderKeys.Inbox].LastUid >= lastUid, $"cursor at {harness.Cursors[FolderKeys.Inbox].LastUid}, last message {lastUid}");
        Assert.Equal(0, (await harness.SyncAsync(user, credentials)).MessagesSynced); // nothing is read twice
        Assert.Equal(3, await harness.CountAllEntries());
    }
}
