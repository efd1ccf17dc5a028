using System.Runtime.CompilerServices;
using MailKit;
using MailKit.Net.Imap;
using MailSync.Shared.Time;

namespace MailSync.Grains.Sync;

/// <summary>A folder a pass syncs: the server's folder, its cursor key, and what STATUS said of it (null: not asked).</summary>
public sealed record FolderToSync(IMailFolder Folder, string Key, FolderFacts? Facts);

/// <summary>The folders of one pass, in order, and the choice they came from.</summary>
public sealed record DiscoveredFolders(FolderChoice Choice, IReadOnlyList<FolderToSync> Folders)
{
    /// <summary>The folder the kept session watches between polls (INBOX, or Gmail's All Mail).</summary>
    public FolderToSync? Watched => Choice.Watched is { } watched ? Folders.FirstOrDefault(f => f.Key == watched.Key) : null;
}

/// <summary>
/// Lists a session's folders and what changed in them, as cheaply as the server allows: one LIST with STATUS (RFC 5819
/// LIST-STATUS) per pass where the server offers it, which also finds new folders on every poll. Without it, one STATUS
/// per folder, and a new LIST only every <c>MailSync:FolderDiscoveryInterval</c> (the listing is kept with the session).
/// </summary>
public sealed class FolderDiscovery(TimeSpan discoveryInterval, int maxFolders, MailSyncClock clock)
{
    /// <summary>The last listing of each live session; it goes with the session's client.</summary>
    private readonly ConditionalWeakTable<ImapClient, Listing> listings = [];

    public async Task<DiscoveredFolders> DiscoverAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var items = StatusItems.UidNext | StatusItems.UidValidity
                    | (client.Capabilities.HasFlag(ImapCapabilities.CondStore) ? StatusItems.HighestModSeq : StatusItems.None)
                    | (client.Capabilities.HasFlag(ImapCapabilities.ObjectID) ? StatusItems.MailboxId : StatusItems.None);
        var withStatus = client.Capabilities.HasFlag(ImapCapabilities.ListStatus);
        var folders = await ListAsync(client, withStatus ? items : StatusItems.None, cancellationToken);
        var byName = folders.GroupBy(f => f.FullName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var uses = SpecialUses(client);
        var choice = FolderSelection.Choose(
            byName.Values.Select(f =>
                new ListedFolder(f.FullName, f.DirectorySeparator, f.Attributes | uses.GetValueOrDefault(f.FullName), f.Id)),
            maxFolders);
        List<FolderToSync> chosen = [];
        foreach (var selected in choice.Folders)
        {
            var folder = byName[selected.Folder.FullName];
            if (!withStatus) await folder.StatusAsync(items, cancellationToken);
            var facts = folder.UidValidity == 0 ? null : new FolderFacts(folder.UidValidity, folder.UidNext?.Id, folder.HighestModSeq);
            chosen.Add(new FolderToSync(folder, selected.Key, facts));
        }
        return new DiscoveredFolders(choice, chosen);
    }

    private async Task<IReadOnlyList<IMailFolder>> ListAsync(ImapClient client, StatusItems items, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        if (items == StatusItems.None && listings.TryGetValue(client, out var kept) && now - kept.At < discoveryInterval)
            return kept.Folders;
        var personal = client.PersonalNamespaces.Count > 0
            ? client.PersonalNamespaces[0]
            : new FolderNamespace(client.Inbox.DirectorySeparator, "");
        IList<IMailFolder> listed;
        try
        {
            listed = await client.GetFoldersAsync(personal, items, subscribedOnly: false, cancellationToken);
        }
        catch (FolderNotFoundException)
        {
            // A server that never listed its namespace's root (LIST "" ""): INBOX is all there is to read.
            listed = [];
        }
        // Courier-style servers list INBOX's children under an "INBOX." namespace, without INBOX itself.
        IReadOnlyList<IMailFolder> folders = listed.Any(f => f.FullName.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
            ? [.. listed]
            : [client.Inbox, .. listed];
        if (items == StatusItems.None) listings.AddOrUpdate(client, new Listing(now, folders));
        return folders;
    }

    /// <summary>
    /// The special-use attributes (RFC 6154) MailKit learnt as the session logged in (LIST (SPECIAL-USE), or Gmail's XLIST):
    /// a LIST that returns STATUS need not repeat them (Dovecot does not).
    /// </summary>
    private static Dictionary<string, FolderAttributes> SpecialUses(ImapClient client)
    {
        Dictionary<string, FolderAttributes> uses = new(StringComparer.Ordinal);
        if ((client.Capabilities & (ImapCapabilities.SpecialUse | ImapCapabilities.XList)) == 0) return uses;
        foreach (var (special, attribute) in SpecialFolders)
        {
            if (client.GetFolder(special) is { } folder) uses[folder.FullName] = uses.GetValueOrDefault(folder.FullName) | attribute;
        }
        return uses;
    }

    private static readonly (SpecialFolder Folder, FolderAttributes Attribute)[] SpecialFolders =
    [
        (SpecialFolder.All, FolderAttributes.All), (SpecialFolder.Archive, FolderAttributes.Archive),
        (SpecialFolder.Drafts, FolderAttributes.Drafts), (SpecialFolder.Flagged, FolderAttributes.Flagged),
        (SpecialFolder.Junk, FolderAttributes.Junk), (SpecialFolder.Sent, FolderAttributes.Sent),
        (SpecialFolder.Trash, FolderAttributes.Trash),
    ];

    private sealed record Listing(DateTimeOffset At, IReadOnlyList<IMailFolder> Folders);
}
