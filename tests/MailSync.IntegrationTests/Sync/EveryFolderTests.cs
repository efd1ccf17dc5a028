using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>
/// A lead's email reaches the timeline wherever the user keeps it: every folder of a real Dovecot mailbox but spam,
/// deleted items and drafts, folders made later, renamed or deleted, and Gmail's layout (All Mail alone).
/// </summary>
[Trait("Category", "Servers")]
public sealed class EveryFolderTests
{
    private const string Lee = "lee@lead.example";
    private readonly SyncHarness harness = new();

    public EveryFolderTests() => harness.Leads.Add("lee", Lee);

    private static DateTimeOffset Recently => DateTimeOffset.UtcNow.AddDays(-2);

    [Fact]
    public async Task Mail_archived_before_connect_and_filed_by_a_rule_reaches_the_timeline_but_nothing_from_junk_trash_or_drafts()
    {
        var (user, password) = Dovecot.CreateUser("folders");
        var me = Dovecot.Address(user);
        Dovecot.Plant(user, Mail.Message(Lee, [me], "in the inbox", Recently));
        Dovecot.Plant(user, Mail.Message(Lee, [me], "archived", Recently), "Archive");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "filed by a rule", Recently), "Clients/Acme");
        Dovecot.Plant(user, Mail.Message(me, [Lee], "my reply", Recently), "Sent");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "junk", Recently), "Junk");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "trash", Recently), "Trash");
        Dovecot.Plant(user, Mail.Message(me, [Lee], "a draft", Recently), "Drafts", flags: "DS");
        // Named as other servers name them, without a special-use attribute here: skipped by name.
        Dovecot.Plant(user, Mail.Message(Lee, [me], "spam by name", Recently), "Spam");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "deleted by name", Recently), "Deleted Items");
        // A draft kept elsewhere is still no email exchanged.
        Dovecot.Plant(user, Mail.Message(me, [Lee], "a stray draft", Recently), "Clients/Acme", flags: "DS");

        var outcome = await harness.SyncAsync(user, Dovecot.Credentials(user, password));

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(["archived", "filed by a rule", "in the inbox", "my reply"], await SubjectsAsync());
        Assert.Empty(outcome.Warnings);
        Assert.Equal(4, harness.Cursors.Count); // INBOX, Sent, Archive, Clients/Acme: no cursor of a skipped folder
        Assert.All(harness.Cursors.Keys, key => Assert.True(FolderKeys.IsKey(key)));
        Assert.DoesNotContain(harness.Cursors.Keys, key => key.Contains("Acme", StringComparison.Ordinal)); // no name in a key
    }

    [Fact]
    public async Task A_first_sync_of_many_small_folders_writes_their_mail_together_and_hands_their_cursors_over_once()
    {
        var (user, password) = Dovecot.CreateUser("small");
        var me = Dovecot.Address(user);
        for (var f = 0; f < 30; f++) Dovecot.Plant(user, Mail.Message(Lee, [me], $"filed {f:00}", Recently), $"Clients/C{f:00}");
        List<IReadOnlyDictionary<string, FolderCursor?>> commits = [];

        var outcome = await harness.SyncAsync(user, Dovecot.Credentials(user, password), changes =>
        {
            commits.Add(changes);
            harness.Commit(changes);
            return Task.CompletedTask;
        });

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(30, (await SubjectsAsync()).Count);
        Assert.Equal(32, harness.Cursors.Count); // INBOX, Sent and the 30 folders
        Assert.Empty(commits); // not a state write per folder: all of them come with the outcome, stored in its write
        Assert.Equal(32, outcome.Cursors.Count);
    }

    [Fact]
    public async Task A_folder_created_after_connect_is_found_within_the_discovery_interval_on_a_server_without_LIST_STATUS()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var proxy = new ImapCommandProxy(TestServices.Current.ImapPort, hideListStatus: true);
        var folders = new SyncHarness(AllowPlainImap, time);
        folders.Leads.Add("lee", Lee);
        var (user, password) = Dovecot.CreateUser("later");
        var credentials = PlainCredentials(user, password, proxy.Port);
        Dovecot.Plant(user, Mail.Message(Lee, [Dovecot.Address(user)], "first", Recently));
        Assert.True((await folders.SyncAsync(user, credentials)).Succeeded);

        await Dovecot.ChangeFoldersAsync(user, password, async client =>
        {
            var projects = await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync("Projects", isMessageFolder: true);
            await projects!.CreateAsync("New", isMessageFolder: true);
        });
        Dovecot.Plant(user, Mail.Message(Lee, [Dovecot.Address(user)], "filed later", DateTimeOffset.UtcNow.AddHours(-1)), "Projects/New");
        proxy.TakeCommands();
        time.Advance(TimeSpan.FromSeconds(30));
        await folders.SyncAsync(user, credentials);
        var withinInterval = proxy.TakeCommands();
        var beforeDiscovery = (await folders.TimelineOf("lee")).Select(e => e.Subject).Order().ToList();
        time.Advance(folders.Options.FolderDiscoveryInterval);
        await folders.SyncAsync(user, credentials);
        var afterDiscovery = proxy.TakeCommands();

        Assert.Equal(["first"], beforeDiscovery);
        // A quiet poll on the kept session: one STATUS per folder it knows (INBOX, Sent), no LIST, nothing selected.
        Assert.Equal(["STATUS", "STATUS"], withinInterval);
        Assert.Equal(1, afterDiscovery.Count(c => c == "LIST"));
        Assert.Equal(["filed later", "first"], (await folders.TimelineOf("lee")).Select(e => e.Subject).Order().ToList());
    }

    [Fact]
    public async Task A_no_change_poll_of_a_fifty_folder_mailbox_is_one_LIST_with_LIST_STATUS()
    {
        await using var proxy = new ImapCommandProxy(TestServices.Current.ImapPort);
        var folders = new SyncHarness(AllowPlainImap);
        var (user, password) = Dovecot.CreateUser("fifty");
        for (var i = 0; i < 48; i++) Dovecot.Plant(user, Mail.Message(Lee, [Dovecot.Address(user)], $"m{i}", Recently), $"Folder {i:00}");
        var credentials = PlainCredentials(user, password, proxy.Port);
        Assert.True((await folders.SyncAsync(user, credentials)).Succeeded);
        proxy.TakeCommands();

        var quiet = await folders.SyncAsync(user, credentials);

        Assert.True(quiet.Succeeded, quiet.Detail);
        Assert.Equal(50, folders.Cursors.Count);
        Assert.Equal(["LIST"], proxy.TakeCommands());
    }

    [Fact]
    public async Task Small_folders_and_a_few_new_messages_are_fetched_without_a_search_first_and_the_window_still_holds()
    {
        await using var proxy = new ImapCommandProxy(TestServices.Current.ImapPort);
        var folders = new SyncHarness(AllowPlainImap);
        folders.Leads.Add("lee", Lee);
        var (user, password) = Dovecot.CreateUser("nosearch");
        var me = Dovecot.Address(user);
        Dovecot.Plant(user, Mail.Message(Lee, [me], "inbox", Recently));
        Dovecot.Plant(user, Mail.Message(Lee, [me], "older than the window", DateTimeOffset.UtcNow.AddDays(-90)), "Clients/Acme");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "filed", Recently), "Clients/Acme");
        var credentials = PlainCredentials(user, password, proxy.Port);

        Assert.True((await folders.SyncAsync(user, credentials)).Succeeded);
        var firstSync = proxy.TakeCommands();
        Dovecot.Plant(user, Mail.Message(Lee, [me], "new", DateTimeOffset.UtcNow), "Clients/Acme");
        Assert.True((await folders.SyncAsync(user, credentials)).Succeeded);
        var newMail = proxy.TakeCommands();

        // One fetch per folder that holds mail (INBOX, Clients/Acme; Sent is empty), a round trip less than a search first.
        Assert.DoesNotContain("UID SEARCH", firstSync);
        Assert.Equal(2, firstSync.Count(c => c == "UID FETCH"));
        Assert.DoesNotContain("UID SEARCH", newMail);
        Assert.Equal(1, newMail.Count(c => c == "UID FETCH"));
        Assert.Equal(["filed", "inbox", "new"], (await folders.TimelineOf("lee")).Select(e => e.Subject).Order().ToList());
    }

    [Fact]
    public async Task A_renamed_folder_is_read_again_without_duplicates_and_a_deleted_folders_cursor_is_dropped()
    {
        var (user, password) = Dovecot.CreateUser("rename");
        var me = Dovecot.Address(user);
        Dovecot.Plant(user, Mail.Message(Lee, [me], "kept in old", Recently), "Clients/Old");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "kept in doomed", Recently), "Doomed");
        var credentials = Dovecot.Credentials(user, password);
        await harness.SyncAsync(user, credentials);
        var keysBefore = harness.Cursors.Keys.ToHashSet();

        await Dovecot.ChangeFoldersAsync(user, password, async client =>
        {
            var clients = await client.GetFolderAsync("Clients");
            await (await client.GetFolderAsync("Clients/Old")).RenameAsync(clients, "New");
            await (await client.GetFolderAsync("Doomed")).DeleteAsync();
        });
        var outcome = await harness.SyncAsync(user, credentials);

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(["kept in doomed", "kept in old"], await SubjectsAsync()); // the deleted folder's entries stay recorded
        Assert.Equal(4, keysBefore.Count);
        Assert.Equal(3, harness.Cursors.Count); // INBOX, Sent and the renamed folder; the old name's and the deleted one's gone
        Assert.Single(harness.Cursors.Keys.Except(keysBefore)); // the renamed folder, under a new key
    }

    [Fact]
    public async Task A_message_moved_after_it_was_synced_and_one_uploaded_again_under_a_new_UID_stay_one_entry()
    {
        var (user, password) = Dovecot.CreateUser("move");
        var me = Dovecot.Address(user);
        var offer = Mail.Message(Lee, [me], "offer", Recently, messageId: "offer-1@lead.example");
        Dovecot.Plant(user, offer);
        Dovecot.CreateFolder(user, "Archive");
        var credentials = Dovecot.Credentials(user, password);
        await harness.SyncAsync(user, credentials);

        Dovecot.MoveMessage(user, "offer", "INBOX", "Archive");
        await harness.SyncAsync(user, credentials);
        Dovecot.Plant(user, offer); // as Outlook does: the same message appended again, a new UID
        var outcome = await harness.SyncAsync(user, credentials);

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(["offer"], await SubjectsAsync());
    }

    [Fact]
    public async Task A_mailbox_of_1001_folders_syncs_the_first_thousand_in_order_and_warns_once()
    {
        var (user, password) = Dovecot.CreateUser("many");
        var me = Dovecot.Address(user);
        // INBOX and Sent come first; of the 1,001 folders here, "F0000" to "F0997" fill the bound, "F0998" and on do not.
        for (var i = 0; i < 1001; i++) Dovecot.CreateFolder(user, $"F{i:0000}");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "first folder", Recently), "F0000");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "last synced folder", Recently), "F0997");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "past the bound", Recently), "F1000");
        var credentials = Dovecot.Credentials(user, password);

        var outcome = await harness.SyncAsync(user, credentials);
        while (outcome.MoreToSync) outcome = await harness.SyncAsync(user, credentials);

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(["first folder", "last synced folder"], await SubjectsAsync());
        Assert.Equal(1000, harness.Cursors.Count);
        var warning = Assert.Single(outcome.Warnings);
        Assert.Equal(MailboxErrorCode.TooManyFolders, warning.Code);
        Assert.Contains("1000", warning.Detail);
    }

    [Fact]
    public async Task Gmail_reads_All_Mail_alone_sent_and_received_and_labelled_once_and_no_spam_trash_or_drafts()
    {
        var (user, password) = Dovecot.CreateGmailUser();
        var me = Dovecot.Address(user);
        Dovecot.Plant(user, Mail.Message(Lee, [me], "received", Recently));
        Dovecot.Plant(user, Mail.Message(me, [Lee], "sent from the Gmail app", Recently), "Sent Mail");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "labelled", Recently), "Clients/Acme");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "spam", Recently), "Spam");
        Dovecot.Plant(user, Mail.Message(Lee, [me], "binned", Recently), "Trash");
        Dovecot.Plant(user, Mail.Message(me, [Lee], "unsent draft", Recently), "Drafts", flags: "DS");

        var outcome = await harness.SyncAsync(user, Dovecot.Credentials(user, password));

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal(["labelled", "received", "sent from the Gmail app"], await SubjectsAsync());
        Assert.Equal([FolderKeys.All], harness.Cursors.Keys);
        Assert.Empty(outcome.Warnings);
    }

    private async Task<List<string>> SubjectsAsync() => [.. (await harness.TimelineOf("lee")).Select(e => e.Subject).Order(StringComparer.Ordinal)];

    private static void AllowPlainImap(MailSync.Shared.Configuration.MailSyncOptions options) => options.AllowInsecureImap = true;

    /// <summary>The plain IMAP port behind the counting relay (no TLS, so the relay reads the commands).</summary>
    private static MailboxCredentials PlainCredentials(string user, string password, int port) =>
        Dovecot.Credentials(user, password) with { Imap = new ImapEndpoint("127.0.0.1", port, ImapSecurity.None) };
}
