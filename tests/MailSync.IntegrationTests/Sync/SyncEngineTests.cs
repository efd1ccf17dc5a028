using MailKit;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Sync;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>The sync engine against the real Dovecot and Azurite.</summary>
[Trait("Category", "Servers")]
public sealed class SyncEngineTests
{
    private const string Lee = "lee@lead.example";
    private const string Lia = "Lia@Lead.Example";
    private const string Stranger = "someone@elsewhere.example";
    private static readonly DateTimeOffset Yesterday = DateTimeOffset.UtcNow.AddDays(-1);

    private readonly SyncHarness harness = new();

    public SyncEngineTests()
    {
        harness.Leads.Add("lee", Lee);
        harness.Leads.Add("lia", "lia@lead.example");
    }

    [Fact]
    public async Task First_pass_puts_each_leads_messages_on_its_timeline_with_the_right_direction_and_nothing_else()
    {
        var (user, password) = Dovecot.CreateUser("first");
        var me = Dovecot.Address(user);
        Dovecot.Plant(user, Mail.Message(Lee, [me], "from lee", Yesterday, messageId: "in-1@lead.example"));
        Dovecot.Plant(user, Mail.Message(Stranger, [me], "not a lead", Yesterday));
        Dovecot.Plant(user, Mail.Message(Stranger, [me], "lia in cc", Yesterday.AddHours(1), cc: [Lia], messageId: "cc-1@elsewhere.example"));
        Dovecot.Plant(user, Mail.Message(Lee, [me], "too old", DateTimeOffset.UtcNow.AddDays(-40)));
        Dovecot.Plant(user, Mail.Message(me, [Lee], "to lee", Yesterday.AddHours(2), messageId: "out-1@acme.test"), "Sent");
        Dovecot.Plant(user, Mail.Message(me, [Stranger], "to a stranger", Yesterday.AddHours(3)), "Sent");

        var outcome = await harness.SyncAsync(user, Dovecot.Credentials(user, password));

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(5, outcome.MessagesSynced);
        var lee = await harness.TimelineOf("lee");
        Assert.Equal(["to lee", "from lee"], lee.Select(e => e.Subject));
        Assert.Equal([MessageDirection.Sent, MessageDirection.Received], lee.Select(e => e.Direction));
        Assert.Equal("out-1@acme.test", lee[0].MessageId);
        Assert.Equal([Lee], lee[0].To);
        Assert.Equal(user, lee[0].UserId);
        var lia = Assert.Single(await harness.TimelineOf("lia"));
        Assert.Equal(("lia in cc", MessageDirection.Received, Stranger), (lia.Subject, lia.Direction, lia.From));
        Assert.Equal(3, await harness.CountAllEntries());
    }

    [Fact]
    public async Task A_later_message_appears_after_the_next_poll_repeated_passes_add_nothing_and_INBOX_and_Sent_copies_are_one_entry()
    {
        var (user, password) = Dovecot.CreateUser("incr");
        var me = Dovecot.Address(user);
        var toBoth = Mail.Message(me, [Lee], "to lee, cc lia and me", Yesterday, cc: [Lia, me], messageId: "both@acme.test");
        Dovecot.Plant(user, toBoth, "Sent");
        Dovecot.Plant(user, toBoth);
        var credentials = Dovecot.Credentials(user, password);
        Assert.True((await harness.SyncAsync(user, credentials)).Succeeded);

        Dovecot.Plant(user, Mail.Message(Lee, [me], "later", DateTimeOffset.UtcNow, messageId: "later@lead.example"));
        var second = await harness.SyncAsync(user, credentials);
        var third = await harness.SyncAsync(user, credentials);
        var fourth = await harness.SyncAsync(user, credentials);

        Assert.Equal(1, second.MessagesSynced);
        Assert.Equal((0, 0), (third.MessagesSynced, fourth.MessagesSynced));
        Assert.Equal(["later", "to lee, cc lia and me"], (await harness.TimelineOf("lee")).Select(e => e.Subject));
        Assert.Equal(MessageDirection.Sent, Assert.Single(await harness.TimelineOf("lia")).Direction);
        Assert.Equal(3, await harness.CountAllEntries());
    }

    [Fact]
    public async Task Recreating_a_folder_with_a_new_UIDVALIDITY_neither_duplicates_nor_misses()
    {
        var (user, password) = Dovecot.CreateUser("uidv");
        var me = Dovecot.Address(user);
        var first = Mail.Message(me, [Lee], "first", Yesterday, messageId: "first@acme.test");
        var second = Mail.Message(me, [Lee], "second", Yesterday.AddHours(1), messageId: "second@acme.test");
        Dovecot.Plant(user, first, "Sent");
        Dovecot.Plant(user, second, "Sent");
        var credentials = Dovecot.Credentials(user, password);
        Assert.True((await harness.SyncAsync(user, credentials)).Succeeded);
        var before = harness.Cursors[FolderKeys.Sent].UidValidity;

        using (var client = await Dovecot.ConnectAsync(user, password))
        {
            await (await client.GetFolderAsync("Sent")).DeleteAsync();
            var sent = (await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Sent", isMessageFolder: true))!;
            await sent.AppendAsync(second);
            await sent.AppendAsync(first);
            await sent.AppendAsync(Mail.Message(me, [Lee], "third", Yesterday.AddHours(2), messageId: "third@acme.test"));
        }
        var outcome = await harness.SyncAsync(user, credentials);

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.NotEqual(before, harness.Cursors[FolderKeys.Sent].UidValidity);
        Assert.Equal(["third", "second", "first"], (await harness.TimelineOf("lee")).Select(e => e.Subject));
    }

    [Fact]
    public async Task A_cursor_write_that_fails_once_repeats_the_batch_without_duplicates()
    {
        var batched = new SyncHarness(o => o.FetchBatchSize = 2);
        batched.Leads.Add("lee", Lee);
        var (user, password) = Dovecot.CreateUser("ckpt");
        for (var i = 0; i < 5; i++)
            Dovecot.Plant(user, Mail.Message(Lee, [Dovecot.Address(user)], $"m{i}", Yesterday.AddMinutes(i), messageId: $"m{i}@lead.example"));
        var credentials = Dovecot.Credentials(user, password);
        var failures = 0;

        var crashed = await batched.SyncAsync(user, credentials, changes =>
        {
            if (failures++ == 0) throw new IOException("storage unavailable");
            batched.Commit(changes);
            return Task.CompletedTask;
        });
        var entriesAfterCrash = await batched.CountAllEntries();
        var resumed = await batched.SyncAsync(user, credentials);

        Assert.False(crashed.Succeeded);
        Assert.Equal(2, entriesAfterCrash);
        Assert.True(resumed.Succeeded, resumed.Detail);
        Assert.Equal(5, resumed.MessagesSynced);
        Assert.Equal(5, await batched.CountAllEntries());
        Assert.Equal(["m4", "m3", "m2", "m1", "m0"], (await batched.TimelineOf("lee")).Select(e => e.Subject));
    }

    [Fact]
    public async Task UIDVALIDITY_changing_more_than_five_passes_in_a_row_stops_with_a_ProtocolError()
    {
        var (user, password) = Dovecot.CreateUser("loop");
        var credentials = Dovecot.Credentials(user, password);
        Assert.True((await harness.SyncAsync(user, credentials)).Succeeded);
        var inbox = harness.Cursors[FolderKeys.Inbox];
        harness.Cursors[FolderKeys.Inbox] = inbox with { UidValidity = inbox.UidValidity + 1, UidValidityChanges = 5 };

        var outcome = await harness.SyncAsync(user, credentials);

        Assert.Equal(MailboxErrorCode.ProtocolError, outcome.Code);
        Assert.Contains("UIDVALIDITY", outcome.Detail);
    }

    [Fact]
    public async Task STARTTLS_on_the_plain_port_works()
    {
        var (user, password) = Dovecot.CreateUser("starttls");
        Dovecot.Plant(user, Mail.Message(Lee, [Dovecot.Address(user)], "over starttls", Yesterday));

        var outcome = await harness.SyncAsync(user, Dovecot.Credentials(user, password, ImapSecurity.StartTls));

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Single(await harness.TimelineOf("lee"));
    }

    [Fact]
    public async Task A_pass_out_of_time_stops_at_a_batch_boundary_and_the_next_passes_finish_without_duplicates()
    {
        var hurried = new SyncHarness(o => (o.FetchBatchSize, o.MaxPassDuration) = (2, TimeSpan.Zero));
        hurried.Leads.Add("lee", Lee);
        var (user, password) = Dovecot.CreateUser("budget");
        for (var i = 0; i < 5; i++)
            Dovecot.Plant(user, Mail.Message(Lee, [Dovecot.Address(user)], $"b{i}", Yesterday.AddMinutes(i), messageId: $"b{i}@lead.example"));
        var credentials = Dovecot.Credentials(user, password);

        var outcomes = new List<SyncOutcome> { await hurried.SyncAsync(user, credentials) };
        while (outcomes[^1].MoreToSync && outcomes.Count < 10) outcomes.Add(await hurried.SyncAsync(user, credentials));

        Assert.All(outcomes, o => Assert.True(o.Succeeded, o.Detail));
        Assert.Equal((2, true), (outcomes[0].MessagesSynced, outcomes[0].MoreToSync));
        Assert.False(outcomes[^1].MoreToSync);
        Assert.Equal(5, outcomes.Sum(o => o.MessagesSynced));
        Assert.Equal(5, await hurried.CountAllEntries());
    }
}
