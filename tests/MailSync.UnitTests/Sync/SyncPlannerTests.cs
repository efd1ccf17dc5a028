using MailSync.Grains.Sync;

namespace MailSync.UnitTests.Sync;

public sealed class SyncPlannerTests
{
    private static readonly DateTimeOffset WindowStart = new(2026, 10, 3, 17, 45, 0, TimeSpan.Zero);

    [Fact]
    public void A_first_sync_searches_the_window_from_its_first_day_and_remembers_up_to_UIDNEXT()
    {
        var plan = SyncPlanner.Plan(null, new FolderFacts(7, UidNext: 51, HighestModSeq: 900), WindowStart);

        Assert.Equal(new DateTime(2026, 10, 3), plan.DeliveredSince);
        Assert.Null(plan.CommitFirst);
        Assert.False(plan.UpToDate);
        var toSync = plan.ToSync([30, 12, 44]);
        Assert.Equal([12u, 30u, 44u], toSync);
        Assert.Equal(new FolderCursor(7, 30, 900), plan.CursorAfter(30));
        // 45..50 lie outside the window: the end cursor covers them so they are not searched again.
        Assert.Equal(new FolderCursor(7, 50, 900), plan.CursorAtEnd(toSync));
    }

    [Fact]
    public void A_first_sync_of_a_folder_that_never_held_a_message_searches_nothing_and_leaves_a_cursor_at_once()
    {
        var plan = SyncPlanner.Plan(null, new FolderFacts(7, UidNext: 1, HighestModSeq: null), WindowStart);

        Assert.True(plan.UpToDate);
        Assert.Equal(new FolderCursor(7, 0, null), plan.CommitFirst);
        Assert.Null(plan.DeliveredSince); // what arrives from now on is new mail, announced as such
    }

    [Fact]
    public void A_first_sync_of_a_folder_whose_messages_are_all_gone_still_searches_and_leaves_a_cursor()
    {
        var plan = SyncPlanner.Plan(null, new FolderFacts(7, UidNext: 5, HighestModSeq: null), WindowStart);

        Assert.False(plan.UpToDate);
        Assert.Empty(plan.ToSync([]));
        Assert.Equal(new FolderCursor(7, 4, null), plan.CursorAtEnd([]));
    }

    [Fact]
    public void Nothing_new_under_an_unchanged_UIDNEXT_means_no_search_and_no_write()
    {
        var cursor = new FolderCursor(7, 50, 900);

        var plan = SyncPlanner.Plan(cursor, new FolderFacts(7, UidNext: 51, HighestModSeq: 900), WindowStart);

        Assert.True(plan.UpToDate);
        Assert.Null(plan.CommitFirst);
    }

    [Fact]
    public void Nothing_new_but_a_changed_modseq_refreshes_the_cursor()
    {
        var cursor = new FolderCursor(7, 50, 900);

        var plan = SyncPlanner.Plan(cursor, new FolderFacts(7, UidNext: 51, HighestModSeq: 905), WindowStart);

        Assert.True(plan.UpToDate);
        Assert.Equal(cursor with { HighestModSeq = 905 }, plan.CommitFirst);
    }

    [Fact]
    public void Nothing_new_after_a_rescan_resets_the_count_of_UIDVALIDITY_changes()
    {
        var cursor = new FolderCursor(7, 50, 900, UidValidityChanges: 2);

        var plan = SyncPlanner.Plan(cursor, new FolderFacts(7, UidNext: 51, HighestModSeq: 900), WindowStart);

        Assert.Equal(cursor with { UidValidityChanges = 0 }, plan.CommitFirst);
    }

    [Fact]
    public void New_mail_searches_above_the_cursor_and_drops_what_the_server_returns_at_or_below_it()
    {
        var cursor = new FolderCursor(7, 50, 900, UidValidityChanges: 1);

        var plan = SyncPlanner.Plan(cursor, new FolderFacts(7, UidNext: 54, HighestModSeq: 910), WindowStart);

        Assert.False(plan.UpToDate);
        Assert.Null(plan.DeliveredSince);
        Assert.Equal(50u, plan.LastUid);
        var toSync = plan.ToSync([50, 53, 51]); // a UID range "51:*" returns the highest UID even when it is below 51
        Assert.Equal([51u, 53u], toSync);
        Assert.Equal(new FolderCursor(7, 53, 910), plan.CursorAfter(53));
        Assert.Null(plan.CursorAtEnd(toSync)); // the last batch's cursor already says it all
    }

    [Fact]
    public void Without_UIDNEXT_the_folder_is_searched_rather_than_skipped()
    {
        var cursor = new FolderCursor(7, 50, null);

        var plan = SyncPlanner.Plan(cursor, new FolderFacts(7, UidNext: null, HighestModSeq: null), WindowStart);

        Assert.False(plan.UpToDate);
        Assert.Equal([51u, 52u], plan.ToSync([51, 52]));
        Assert.Null(plan.CursorAtEnd([])); // nothing known beyond the cursor: nothing to remember
    }

    [Fact]
    public void A_changed_UIDVALIDITY_counts_the_change_then_rescans_the_window()
    {
        var cursor = new FolderCursor(7, 50, 900, UidValidityChanges: 1);

        var plan = SyncPlanner.Plan(cursor, new FolderFacts(8, UidNext: 3, HighestModSeq: 5), WindowStart);

        Assert.True(plan.UidValidityChanged);
        Assert.False(plan.GivesUp);
        Assert.Equal(cursor with { UidValidityChanges = 2 }, plan.CommitFirst);
        Assert.Equal(new DateTime(2026, 10, 3), plan.DeliveredSince);
        Assert.Equal([1u, 2u], plan.ToSync([2, 1]));
        Assert.Equal(new FolderCursor(8, 2, 5, UidValidityChanges: 2), plan.CursorAtEnd([1, 2]));
    }

    [Fact]
    public void A_UIDVALIDITY_that_changes_on_every_pass_is_given_up_on()
    {
        var cursor = new FolderCursor(7, 50, 900, UidValidityChanges: SyncPlanner.MaxUidValidityChangesInARow);

        var plan = SyncPlanner.Plan(cursor, new FolderFacts(8, UidNext: 3, HighestModSeq: 5), WindowStart);

        Assert.True(plan.GivesUp);
    }

    [Fact]
    public void A_first_sync_of_a_folder_of_at_most_a_batch_fetches_it_whole_and_keeps_what_the_window_holds()
    {
        var plan = SyncPlanner.Plan(null, new FolderFacts(7, UidNext: 90_001, HighestModSeq: null), WindowStart);

        // 200 messages left of 90,000 UIDs: one fetch of them all (the messages count, not the UIDs).
        Assert.Equal((1u, 90_000u), plan.WholeFetch(folderCount: 200, batch: 2_500));
        Assert.Null(plan.WholeFetch(folderCount: 2_501, batch: 2_500));
        // SEARCH SINCE's rule: the day of INTERNALDATE where the server is, whatever its hour.
        var firstDayLate = new DateTimeOffset(2026, 10, 3, 0, 30, 0, TimeSpan.FromHours(2)); // 2 October in UTC
        var dayBefore = new DateTimeOffset(2026, 10, 2, 23, 59, 0, TimeSpan.Zero);
        Assert.True(plan.Wanted(5, firstDayLate));
        Assert.False(plan.Wanted(6, dayBefore));
        Assert.True(plan.Wanted(7, null)); // a server that sent no date: kept rather than lost
    }

    [Fact]
    public void New_mail_of_at_most_a_batch_of_UIDs_is_fetched_whole_above_the_cursor_whatever_its_date()
    {
        var plan = SyncPlanner.Plan(new FolderCursor(7, 50, 900), new FolderFacts(7, UidNext: 61, HighestModSeq: 910), WindowStart);

        Assert.Equal((51u, 60u), plan.WholeFetch(folderCount: 100_000, batch: 2_500));
        Assert.True(plan.Wanted(51, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.False(plan.Wanted(50, null)); // a server answering the cursor's own UID: already synced
        var far = SyncPlanner.Plan(new FolderCursor(7, 50, 900), new FolderFacts(7, UidNext: 2_552, HighestModSeq: 910), WindowStart);
        Assert.Null(far.WholeFetch(folderCount: 10, batch: 2_500)); // 2,501 UIDs to look at: searched
        var unknown = SyncPlanner.Plan(null, new FolderFacts(7, UidNext: null, HighestModSeq: null), WindowStart);
        Assert.Null(unknown.WholeFetch(folderCount: 3, batch: 2_500)); // no UIDNEXT: searched
    }
}
