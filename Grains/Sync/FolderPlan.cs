namespace MailSync.Grains.Sync;

/// <summary>
/// The decisions of one folder's sync, made by <see cref="SyncPlanner"/> before any message is searched: what to commit
/// first, whether anything can be new, where to search, and the cursor after each batch and at the end.
/// </summary>
public sealed class FolderPlan
{
    private readonly FolderFacts folder;
    private readonly bool initial;
    private readonly int uidValidityChanges;

    internal FolderPlan(FolderFacts folder, FolderCursor? resume, int uidValidityChanges, DateTime windowStart)
    {
        this.folder = folder;
        this.uidValidityChanges = uidValidityChanges;
        initial = resume is null;
        LastUid = resume?.LastUid ?? 0;
        DeliveredSince = initial ? windowStart : null;
    }

    /// <summary>UIDVALIDITY changed more often in a row than we rescan: the pass fails instead of rescanning forever.</summary>
    public bool GivesUp { get; internal init; }

    /// <summary>The old cursor no longer applies: the folder is rescanned (from the initial window).</summary>
    public bool UidValidityChanged { get; internal init; }

    /// <summary>A cursor to persist before anything else (a counted UIDVALIDITY change, or fresher folder facts).</summary>
    public FolderCursor? CommitFirst { get; internal init; }

    /// <summary>UIDNEXT says nothing arrived since the cursor: no search, no fetch.</summary>
    public bool UpToDate { get; internal init; }

    /// <summary>
    /// First sync of the folder: search messages delivered since
    /// this date; otherwise search UIDs above <see cref="LastUid"/>.
    /// </summary>
    public DateTime? DeliveredSince { get; }

    /// <summary>The folder's UIDVALIDITY as the pass opened it: the UIDs of its searches and fetches are of that.</summary>
    public uint UidValidity => folder.UidValidity;

    /// <summary>The highest UID already synced (0 on a first sync).</summary>
    public uint LastUid { get; }

    private uint? HighestUid => folder.UidNext is { } next && next > 0 ? next - 1 : null;

    /// <summary>
    /// The UIDs a fetch without a search asks for, when at most <paramref name="batch"/> messages can be in them: on a first
    /// sync the folder's messages (<paramref name="folderCount"/>, from 1 to the highest UID), otherwise the UIDs between
    /// the cursor and the highest UID. Null when the folder is larger or the server gave no UIDNEXT: it is searched.
    /// </summary>
    public (uint First, uint Last)? WholeFetch(int folderCount, int batch)
    {
        if (HighestUid is not { } highest || highest <= LastUid) return null;
        var most = initial ? folderCount : (long)highest - LastUid;
        return most <= batch ? (LastUid + 1, highest) : null;
    }

    /// <summary>
    /// Whether a message a fetch without a search returned is to sync: above the cursor and, on a first sync, delivered since
    /// the window, by SEARCH SINCE's rule (the date of its INTERNALDATE in the server's time zone, the time disregarded).
    /// </summary>
    public bool Wanted(uint uid, DateTimeOffset? delivered) =>
        uid > LastUid && (DeliveredSince is not { } since || DeliveredOnOrAfter(delivered, since));

    /// <summary>SEARCH SINCE's rule: the day of INTERNALDATE where the server is; a message without one is kept.</summary>
    public static bool DeliveredOnOrAfter(DateTimeOffset? delivered, DateTime day) => delivered is not { } date || date.Date >= day;

    /// <summary>Search results still to sync, oldest first (servers may return UIDs at or below the cursor).</summary>
    public IReadOnlyList<uint> ToSync(IEnumerable<uint> found) => [.. found.Where(uid => uid > LastUid).Order()];

    /// <summary>The cursor once every message up to <paramref name="lastUidOfBatch"/> is on the timeline.</summary>
    public FolderCursor CursorAfter(uint lastUidOfBatch) =>
        new(folder.UidValidity, lastUidOfBatch, folder.HighestModSeq, uidValidityChanges);

    /// <summary>
    /// After every batch of <paramref name="synced"/> is written: a cursor that also covers what was looked at but not
    /// fetched (messages outside the window, UIDs up to UIDNEXT), so it is not searched again; null when the last batch's
    /// cursor already says it all.
    /// </summary>
    public FolderCursor? CursorAtEnd(IReadOnlyList<uint> synced)
    {
        var lastSynced = synced.Count > 0 ? synced[^1] : LastUid;
        var seen = Math.Max(HighestUid ?? 0, Math.Max(LastUid, lastSynced));
        return initial || lastSynced < seen ? CursorAfter(seen) : null;
    }
}
