using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Mailboxes;

public sealed class SeatInvariantTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Two_hundred_concurrent_connects_disconnects_and_limit_changes_keep_the_seat_invariant()
    {
        var company = new TestCompany(fixture.Client);
        await company.Grain.Upsert("Acme", 5);
        var users = Enumerable.Range(0, 30).Select(i => $"u{i:00}").ToArray();
        var random = new Random(20261127);
        var highestLimit = 5;
        var operations = Enumerable.Range(0, 200).Select(_ => random.Next(100) switch
        {
            < 55 => company.Connect(users[random.Next(users.Length)]),
            < 85 => company.Mailbox(users[random.Next(users.Length)]).Disconnect(keepHistory: true),
            _ => SetLimit(random.Next(0, 10)),
        }).ToArray();

        Task SetLimit(int limit)
        {
            highestLimit = Math.Max(highestLimit, limit);
            return company.Grain.Upsert("Acme", limit);
        }

        await Task.WhenAll(operations);

        // Promotions travel as one-way hints: poll until every mailbox has heard of its seat. The poll fails unless the
        // ledger agrees with the mailboxes: its seat holders are exactly the users whose status holds a seat, its queue
        // exactly the Pending users, so nobody is queued twice, or both queued and seated, or seated while NotConfigured.
        var (overview, _, _) = await Poll.UntilAsync(
            async () => (await company.Grain.GetOverview(), await Task.WhenAll(users.Select(company.Status)), await company.SeatHolders(users)),
            s => Consistent(s.Item1, s.Item2, s.Item3),
            TimeSpan.FromSeconds(20),
            "company ledger and mailbox statuses agree");

        // Lowering a limit disconnects nobody, so only the highest limit ever set bounds the seats (the exact rule, no
        // admission since a lowering, is checked step by step in SeatLedgerTests).
        Assert.InRange(overview.SeatsUsed, 0, highestLimit);
        Assert.True(overview.SeatsUsed >= Math.Min(overview.MailboxSyncLimit, overview.SeatsUsed + overview.PendingCount),
            "a free seat with someone waiting");
    }

    private static bool Consistent(CompanyOverview overview, MailboxView[] statuses, string[] seatHolders) =>
        overview.SeatsUsed == seatHolders.Length &&
        statuses.Where(s => s.Status.HoldsSeat()).Select(s => s.UserId).Order().SequenceEqual(seatHolders.Order()) &&
        statuses.Where(s => s.Status == MailboxStatus.Pending).Select(s => s.UserId).Order().SequenceEqual(overview.Pending.Order());
}
