using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Mailboxes;

[Collection(ClusterCollection.Name)]
public sealed class SeatInvariantTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Two_hundred_concurrent_connects_disconnects_and_limit_changes_keep_the_seat_invariant()
    {
        var company = new TestCompany(fixture.Client);
        await company.Grain.Upsert("Acme", 5);
        var users = Enumerable.Range(0, 30).Select(i => $"u{i:00}").ToArray();
        var random = new Random(20261127);
        var operations = Enumerable.Range(0, 200).Select(_ => random.Next(100) switch
        {
            < 55 => company.Connect(users[random.Next(users.Length)]),
            < 85 => company.Mailbox(users[random.Next(users.Length)]).Disconnect(keepHistory: true),
            _ => company.Grain.Upsert("Acme", random.Next(0, 10)),
        }).ToArray();

        await Task.WhenAll(operations);

        // Promotions travel as one-way hints: poll until every mailbox has heard of its seat.
        var (overview, statuses) = await Poll.UntilAsync(
            async () => (await company.Grain.GetOverview(), await Task.WhenAll(users.Select(company.Status))),
            s => Consistent(s.Item1, s.Item2),
            TimeSpan.FromSeconds(20),
            "company ledger and mailbox statuses agree");

        Assert.True(overview.SeatsUsed <= overview.MailboxSyncLimit || overview.AdmissionsSinceLimitLowered == 0,
            $"{overview.SeatsUsed} seats used over a limit of {overview.MailboxSyncLimit} with {overview.AdmissionsSinceLimitLowered} admissions since it was lowered");
        Assert.Equal(overview.Pending.Count, overview.Pending.Distinct().Count());
        Assert.Empty(overview.Pending.Intersect(overview.SeatHolders));
        Assert.DoesNotContain(statuses, s => s.Status == MailboxStatus.NotConfigured && overview.SeatHolders.Contains(s.UserId));
        Assert.True(overview.SeatsUsed >= Math.Min(overview.MailboxSyncLimit, overview.SeatsUsed + overview.Pending.Count),
            "a free seat with someone waiting");
    }

    private static bool Consistent(CompanyOverview overview, MailboxView[] statuses) =>
        statuses.Where(s => s.Status.HoldsSeat()).Select(s => s.UserId).Order().SequenceEqual(overview.SeatHolders.Order()) &&
        statuses.Where(s => s.Status == MailboxStatus.Pending).Select(s => s.UserId).Order().SequenceEqual(overview.Pending.Order());
}
