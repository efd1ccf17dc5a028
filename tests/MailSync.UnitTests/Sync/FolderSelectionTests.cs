using MailKit;
using MailSync.Grains.Sync;

namespace MailSync.UnitTests.Sync;

public sealed class FolderSelectionTests
{
    private static ListedFolder Folder(string name, FolderAttributes attributes = FolderAttributes.None, string? id = null) =>
        new(name, '/', attributes, id);

    private static List<string> Names(FolderChoice choice) => [.. choice.Folders.Select(f => f.Folder.FullName)];

    [Fact]
    public void Every_selectable_folder_but_junk_trash_and_drafts_INBOX_then_Sent_then_archives_then_by_name()
    {
        var choice = FolderSelection.Choose(
        [
            Folder("Zeta"), Folder("Archive", FolderAttributes.Archive), Folder("INBOX"), Folder("Clients/Acme"),
            Folder("Sent", FolderAttributes.Sent), Folder("Junk", FolderAttributes.Junk), Folder("Trash", FolderAttributes.Trash),
            Folder("Drafts", FolderAttributes.Drafts), Folder("Clients", FolderAttributes.NoSelect), Folder("Gone", FolderAttributes.NonExistent),
            Folder("Flagged", FolderAttributes.Flagged),
        ], max: 1000);

        Assert.Equal(["INBOX", "Sent", "Archive", "Clients/Acme", "Zeta"], Names(choice));
        Assert.Equal([FolderKeys.Inbox, FolderKeys.Sent], choice.Folders.Take(2).Select(f => f.Key));
        Assert.True(choice.HasSent);
        Assert.False(choice.Capped);
        Assert.Equal("INBOX", choice.Watched!.Folder.FullName);
    }

    [Theory]
    [InlineData("Spam")]
    [InlineData("Junk E-mail")]
    [InlineData("Junk Email")]
    [InlineData("Bulk Mail")]
    [InlineData("Deleted Items")]
    [InlineData("Deleted Messages")]
    [InlineData("Bin")]
    [InlineData("drafts")]
    [InlineData("INBOX.Trash")]
    [InlineData("[Gmail]/Spam")]
    public void Without_special_use_the_usual_names_of_spam_deleted_items_and_drafts_are_skipped(string name)
    {
        var separator = name.StartsWith("INBOX.", StringComparison.Ordinal) ? '.' : '/';

        var choice = FolderSelection.Choose([Folder("INBOX"), new ListedFolder(name, separator, FolderAttributes.None)], max: 10);

        Assert.Equal(["INBOX"], Names(choice));
    }

    [Fact]
    public void A_user_folder_deeper_down_named_like_a_system_folder_is_read()
    {
        var choice = FolderSelection.Choose([Folder("INBOX"), Folder("Clients/Trash"), Folder("Projects/Spam")], max: 10);

        Assert.Equal(["INBOX", "Clients/Trash", "Projects/Spam"], Names(choice));
    }

    [Fact]
    public void Without_special_use_the_Sent_folder_is_found_by_name()
    {
        var choice = FolderSelection.Choose([Folder("INBOX"), Folder("Notes"), Folder("Sent Items")], max: 10);

        Assert.Equal(["INBOX", "Sent Items", "Notes"], Names(choice));
        Assert.Equal(FolderKeys.Sent, choice.Folders[1].Key);
    }

    [Fact]
    public void A_mailbox_without_any_Sent_folder_says_so()
    {
        Assert.False(FolderSelection.Choose([Folder("INBOX"), Folder("Notes")], max: 10).HasSent);
    }

    [Fact]
    public void Gmails_All_Mail_is_read_alone_and_watched()
    {
        var choice = FolderSelection.Choose(
        [
            Folder("INBOX"), Folder("[Gmail]/Sent Mail", FolderAttributes.Sent), Folder("[Gmail]/All Mail", FolderAttributes.All),
            Folder("Clients/Acme"), Folder("[Gmail]/Spam", FolderAttributes.Junk),
        ], max: 1000);

        Assert.Equal(["[Gmail]/All Mail"], Names(choice));
        Assert.Equal(FolderKeys.All, choice.Folders[0].Key);
        Assert.True(choice.AllMail);
        Assert.True(choice.HasSent);
        Assert.Equal("[Gmail]/All Mail", choice.Watched!.Folder.FullName);
    }

    [Fact]
    public void Past_the_bound_the_first_folders_in_order_are_read_and_the_choice_says_it_is_capped()
    {
        var listed = Enumerable.Range(0, 10).Select(i => Folder($"F{i}")).Append(Folder("INBOX")).Append(Folder("Sent", FolderAttributes.Sent));

        var choice = FolderSelection.Choose(listed, max: 5);

        Assert.Equal(["INBOX", "Sent", "F0", "F1", "F2"], Names(choice));
        Assert.True(choice.Capped);
        Assert.Equal(12, choice.Eligible);
    }

    [Fact]
    public void Folder_keys_are_short_hashes_of_a_stable_identity_never_the_name()
    {
        var byName = FolderKeys.Of("Clients/Acme", mailboxId: null);
        var renamedWithId = FolderKeys.Of("Clients/Acme Ltd", mailboxId: "F2212ea87-6097-4256-9d51-71338625");

        Assert.Equal(byName, FolderKeys.Of("Clients/Acme", null));
        Assert.NotEqual(byName, FolderKeys.Of("Clients/acme", null));
        Assert.Equal(renamedWithId, FolderKeys.Of("Clients/Old name", "F2212ea87-6097-4256-9d51-71338625")); // RFC 8474: a rename keeps it
        Assert.DoesNotContain("Acme", byName, StringComparison.Ordinal);
        Assert.Equal(18, byName.Length);
        Assert.True(FolderKeys.IsKey(byName));
        Assert.False(FolderKeys.IsKey("INBOX")); // cursors once keyed by the server's names
    }
}
