namespace MailSync.Grains.Sync;

/// <summary>
/// The pure rule of a folder's sync: given its cursor and what SELECT reported, what the pass does. UIDVALIDITY changes
/// rescan without duplicates (timeline keys are deterministic) but are counted, so a server that changes it on every
/// SELECT fails the pass instead of rescanning forever; an unchanged UIDNEXT means nothing to search; without UIDNEXT
/// (optional in IMAP) we search rather than skip; a folder that never held a message (UIDNEXT 1) is not searched at all.
/// </summary>
public static class SyncPlanner
{
    public const int MaxUidValidityChangesInARow = 5;

    public static FolderPlan Plan(FolderCursor? cursor, FolderFacts folder, DateTimeOffset windowStart)
    {
        var window = windowStart.UtcDateTime.Date;
        if (cursor is not null && cursor.UidValidity != folder.UidValidity)
        {
            var changes = cursor.UidValidityChanges + 1;
            return new FolderPlan(folder, resume: null, changes, window)
            {
                UidValidityChanged = true,
                GivesUp = changes > MaxUidValidityChangesInARow,
                CommitFirst = cursor with { UidValidityChanges = changes },
            };
        }
        if (cursor is null && folder.UidNext == 1)
        {
            // A folder that never held a message: nothing to search; from here on, what arrives is new mail.
            var empty = new FolderCursor(folder.UidValidity, 0, folder.HighestModSeq);
            return new FolderPlan(folder, empty, 0, window) { UpToDate = true, CommitFirst = empty };
        }
        if (cursor is null) return new FolderPlan(folder, resume: null, 0, window);

        var highestUid = folder.UidNext is { } next && next > 0 ? next - 1 : (uint?)null;
        if (highestUid is { } highest && cursor.LastUid >= highest)
        {
            var fresher = cursor.UidValidityChanges != 0 || cursor.HighestModSeq != folder.HighestModSeq;
            return new FolderPlan(folder, cursor, 0, window)
            {
                UpToDate = true,
                CommitFirst = fresher ? cursor with { UidValidityChanges = 0, HighestModSeq = folder.HighestModSeq } : null,
            };
        }
        // New mail under a stable UIDVALIDITY: the count of changes in a row starts again.
        return new FolderPlan(folder, cursor, 0, window);
    }
}
