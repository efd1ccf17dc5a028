using MailKit;

namespace MailSync.Grains.Sync;

/// <summary>A folder as the server listed it: its full name, hierarchy separator, attributes and RFC 8474 MAILBOXID.</summary>
public sealed record ListedFolder(string FullName, char Separator, FolderAttributes Attributes, string? MailboxId = null)
{
    public bool IsInbox => FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase);

    /// <summary>The last part of the name ("Acme" of "Clients/Acme").</summary>
    public string Leaf => ParentEnd < 0 ? FullName : FullName[(ParentEnd + 1)..];

    /// <summary>
    /// A folder at the top of the personal namespace, or directly under INBOX (Courier-style servers) or Gmail's system
    /// folder: where servers put the folders named for spam, deleted items and drafts.
    /// </summary>
    public bool AtTop
    {
        get
        {
            if (ParentEnd < 0) return true;
            var parent = FullName[..ParentEnd];
            return parent.Equals("INBOX", StringComparison.OrdinalIgnoreCase) || parent is "[Gmail]" or "[Google Mail]";
        }
    }

    /// <summary>Where the parent's name ends (the last separator), or -1 at the top.</summary>
    private int ParentEnd => Separator == '\0' ? -1 : FullName.LastIndexOf(Separator);
}

/// <summary>A folder chosen for sync, with the key its cursor is kept under.</summary>
public sealed record SelectedFolder(ListedFolder Folder, string Key);

/// <summary>What a pass syncs of a mailbox's folders.</summary>
/// <param name="Folders">The folders to sync, in order.</param>
/// <param name="AllMail">Gmail's layout: one folder (<c>\All</c>) holds sent and received mail, read alone.</param>
/// <param name="Eligible">How many folders qualified before the bound.</param>
/// <param name="HasSent">Whether a Sent folder is among them (Gmail's All Mail holds sent mail).</param>
public sealed record FolderChoice(IReadOnlyList<SelectedFolder> Folders, bool AllMail, int Eligible, bool HasSent)
{
    /// <summary>More folders qualified than the bound lets a pass read.</summary>
    public bool Capped => Eligible > Folders.Count;

    /// <summary>The folder where new mail arrives, which a kept session watches (IDLE): INBOX, or All Mail on Gmail.</summary>
    public SelectedFolder? Watched => Folders.FirstOrDefault(f => AllMail || f.Folder.IsInbox);
}

/// <summary>
/// Which folders a pass reads, as a pure rule. A lead's email is a lead's email wherever the user keeps it: every
/// selectable folder of the personal namespace, except spam, deleted items and drafts (by their SPECIAL-USE attribute,
/// and by the names servers give them, for servers without SPECIAL-USE), and except virtual views of other folders
/// (<c>\Flagged</c>). Where the server has a <c>\All</c> folder (Gmail's All Mail), that folder alone: it holds every
/// message once, sent and received, without spam and trash. Bounded: past <c>max</c>, INBOX, then Sent, then the
/// <c>\Archive</c> folders, then the rest by name (ordinal), and the pass says so.
/// </summary>
public static class FolderSelection
{
    /// <summary>
    /// Names of spam, deleted-items, drafts and outgoing-queue folders of Dovecot, Exchange and Outlook.com, iCloud, Yahoo,
    /// Fastmail and Gmail (localised "Bin"), matched case-insensitively at the top of the namespace.
    /// </summary>
    public static readonly IReadOnlySet<string> SkippedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Junk", "Junk E-mail", "Junk Email", "Junk Mail", "Spam", "Bulk Mail", "Bulk",
        "Trash", "Deleted Items", "Deleted Messages", "Deleted", "Bin",
        "Drafts", "Draft", "Outbox",
    };

    /// <summary>Names of the Sent folder on servers without SPECIAL-USE.</summary>
    public static readonly IReadOnlySet<string> SentNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Sent", "Sent Items", "Sent Messages", "Sent Mail",
    };

    private const FolderAttributes Unreadable = FolderAttributes.NoSelect | FolderAttributes.NonExistent;
    private const FolderAttributes Skipped =
        FolderAttributes.Junk | FolderAttributes.Trash | FolderAttributes.Drafts | FolderAttributes.Flagged;

    public static FolderChoice Choose(IEnumerable<ListedFolder> listed, int max)
    {
        var usable = listed.Where(f => (f.Attributes & Unreadable) == 0).ToList();
        if (usable.FirstOrDefault(f => f.Attributes.HasFlag(FolderAttributes.All)) is { } all)
            return new FolderChoice([new SelectedFolder(all, FolderKeys.All)], AllMail: true, Eligible: 1, HasSent: true);

        var eligible = usable.Where(f => (f.Attributes & Skipped) == 0 && !(f.AtTop && SkippedNames.Contains(f.Leaf))).ToList();
        var sent = eligible.FirstOrDefault(f => f.Attributes.HasFlag(FolderAttributes.Sent))
                   ?? eligible.FirstOrDefault(f => !f.IsInbox && f.AtTop && SentNames.Contains(f.Leaf));
        var ordered = eligible
            .OrderBy(f => f.IsInbox ? 0 : f == sent ? 1 : f.Attributes.HasFlag(FolderAttributes.Archive) ? 2 : 3)
            .ThenBy(f => f.FullName, StringComparer.Ordinal)
            .Take(max)
            .Select(f => new SelectedFolder(f, Key(f, sent)));
        return new FolderChoice([.. ordered], AllMail: false, eligible.Count, HasSent: sent is not null);
    }

    private static string Key(ListedFolder folder, ListedFolder? sent) =>
        folder.IsInbox ? FolderKeys.Inbox : folder == sent ? FolderKeys.Sent : FolderKeys.Of(folder.FullName, folder.MailboxId);
}
