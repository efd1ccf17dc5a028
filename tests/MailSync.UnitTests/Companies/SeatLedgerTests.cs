using MailSync.Grains.Companies;
using MailSync.Grains.Directory;
using MailSync.Grains.Interfaces.Companies;

namespace MailSync.UnitTests.Companies;

public sealed class SeatLedgerTests
{
    [Fact]
    public void Users_beyond_the_limit_queue_in_request_order()
    {
        var ledger = new SeatLedger();
        ledger.SetLimit(2);

        var decisions = new[] { "ann", "bob", "cat", "dan" }.Select(ledger.Request).ToArray();

        Assert.Equal([SeatDecision.Grant, SeatDecision.Grant, SeatDecision.Queued(1), SeatDecision.Queued(2)], decisions);
        Assert.Equal(SeatDecision.Queued(1), ledger.Request("cat"));
        Assert.Equal(SeatDecision.Grant, ledger.Request("ann"));
        Assert.Equal(["cat", "dan"], ledger.Pending);
    }

    [Fact]
    public void The_place_in_queue_counts_from_the_next_to_get_a_seat_and_moves_up_as_others_leave()
    {
        var ledger = new SeatLedger();
        ledger.SetLimit(1);
        foreach (var user in new[] { "ann", "bob", "cat", "dan" }) ledger.Request(user);

        var before = (ledger.PlaceInQueue("ann"), ledger.PlaceInQueue("bob"), ledger.PlaceInQueue("dan"), ledger.PlaceInQueue("eve"));
        ledger.Release("bob"); // bob leaves the queue
        ledger.Release("ann"); // cat gets ann's seat

        Assert.Equal(((int?)null, (int?)1, (int?)3, (int?)null), before);
        Assert.Equal(((int?)null, (int?)1), (ledger.PlaceInQueue("cat"), ledger.PlaceInQueue("dan")));
    }

    [Fact]
    public void A_released_seat_goes_to_the_oldest_waiting_user()
    {
        var ledger = new SeatLedger();
        ledger.SetLimit(1);
        ledger.Request("ann");
        ledger.Request("bob");
        ledger.Request("cat");

        Assert.Equal(["bob"], ledger.Release("ann"));
        Assert.Equal(["bob"], ledger.Holders.Order());
        Assert.Equal(["cat"], ledger.Pending);
        Assert.Empty(ledger.Release("cat"));
        Assert.Empty(ledger.Pending);
    }

    [Fact]
    public void Raising_the_limit_promotes_as_many_as_there_are_new_seats()
    {
        var ledger = new SeatLedger();
        ledger.SetLimit(1);
        foreach (var user in new[] { "ann", "bob", "cat", "dan" }) ledger.Request(user);

        Assert.Equal(["bob", "cat"], ledger.SetLimit(3));
        Assert.Equal(["dan"], ledger.Pending);
    }

    [Fact]
    public void Lowering_the_limit_disconnects_nobody_and_admits_nobody_until_usage_is_below_it()
    {
        var ledger = new SeatLedger();
        ledger.SetLimit(3);
        foreach (var user in new[] { "ann", "bob", "cat" }) ledger.Request(user);

        Assert.Empty(ledger.SetLimit(1));
        Assert.Equal(SeatDecision.Queued(1), ledger.Request("dan"));
        Assert.Empty(ledger.Release("ann"));
        Assert.Empty(ledger.Release("bob"));
        Assert.Equal(["cat"], ledger.Holders.Order());
        Assert.Equal(["dan"], ledger.Release("cat"));
        Assert.Equal(["dan"], ledger.Holders.Order());
    }

    [Fact]
    public void Over_thousands_of_random_operations_seats_stay_within_the_limit_or_nobody_was_admitted_since_it_was_lowered()
    {
        var random = new Random(20261127);
        var ledger = new SeatLedger();
        ledger.SetLimit(3);
        var users = Enumerable.Range(0, 12).Select(i => $"u{i}").ToArray();
        var admittedSinceLowered = 0;
        for (var step = 0; step < 5000; step++)
        {
            var before = ledger.Holders.ToHashSet();
            var user = users[random.Next(users.Length)];
            switch (random.Next(10))
            {
                case < 5: ledger.Request(user); break;
                case < 8: ledger.Release(user); break;
                default:
                    var limit = random.Next(0, 8);
                    if (limit < ledger.Limit) admittedSinceLowered = 0;
                    ledger.SetLimit(limit);
                    break;
            }
            admittedSinceLowered += ledger.Holders.Count(h => !before.Contains(h));

            Assert.True(ledger.Holders.Count <= ledger.Limit || admittedSinceLowered == 0, $"step {step}: {ledger.Holders.Count} seats over limit {ledger.Limit}");
            Assert.Equal(ledger.PendingCount, ledger.Pending.Distinct().Count());
            Assert.Empty(ledger.Pending.Intersect(ledger.Holders));
            Assert.False(ledger.Holders.Count < ledger.Limit && ledger.PendingCount > 0, $"step {step}: a free seat while someone waits");
        }
    }

    [Fact]
    public void A_new_request_never_jumps_the_queue()
    {
        var ledger = new SeatLedger();
        ledger.SetLimit(0);
        ledger.Request("ann");
        ledger.SetLimit(1);

        Assert.Equal(SeatDecision.Queued(1), ledger.Request("bob"));
        Assert.Equal(["ann"], ledger.Holders.Order());
    }

    [Fact]
    public void Each_operation_changes_only_the_rows_of_the_users_it_moves()
    {
        var ledger = SeatLedger.Restore(1, []);
        ledger.Request("ann");
        Assert.Equal([("ann", new SeatRow("ann", true, 0))], ledger.TakeChanges());

        ledger.Request("bob");
        ledger.Request("cat");
        Assert.Equal([("bob", new SeatRow("bob", false, 1)), ("cat", new SeatRow("cat", false, 2))], ledger.TakeChanges());
        ledger.Request("bob");
        Assert.Empty(ledger.TakeChanges()); // repeating a request writes nothing

        ledger.Release("ann");
        Assert.Equal([("ann", (SeatRow?)null), ("bob", new SeatRow("bob", true, 0))], ledger.TakeChanges());
    }

    [Fact]
    public void A_ledger_restored_from_its_rows_keeps_the_queue_order_and_goes_on_numbering_after_it()
    {
        var ledger = SeatLedger.Restore(1, [new SeatRow("dan", false, 7), new SeatRow("ann", true, 0), new SeatRow("bob", false, 3)]);

        Assert.Equal(["bob", "dan"], ledger.Pending);
        Assert.Equal(SeatDecision.Queued(2), ledger.Request("dan"));
        Assert.Equal(SeatDecision.Queued(3), ledger.Request("eve"));
        Assert.Equal([("eve", new SeatRow("eve", false, 8))], ledger.TakeChanges());
    }
}
