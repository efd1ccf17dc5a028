using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Timeline;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>Removing a user's entries in bounded steps, on Azurite and in memory alike.</summary>
[Trait("Category", "Servers")]
public sealed class TimelineDeletionTests
{
    public static TheoryData<string> Stores => ["azure", "memory"];

    private static ITimelineStore Create(string kind) => kind == "azure" ? new SyncHarness().Timeline : new MemoryTimelineStore();

    private static TimelineEntry Entry(string lead, int n, string user) => new(
        lead, $"m{n}@x", $"subject {n}", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddHours(n),
        MessageDirection.Received, "lee@lead.example", ["ann@acme.test"], [], user);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Steps_remove_at_most_their_chunk_and_go_on_where_the_last_stopped_until_none_remain(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        await store.WriteAsync(company, [.. Enumerable.Range(0, 25).Select(n => Entry($"lead{n % 9}", n, "ann"))]);
        await store.WriteAsync(company, [.. Enumerable.Range(0, 6).Select(n => Entry($"lead{n % 9}", n, "bob"))]);

        var steps = new List<TimelineDeletionStep>();
        string? from = null;
        do
        {
            var step = await store.DeleteByUserAsync(company, "ann", 4, from);
            steps.Add(step);
            from = step.Next;
        }
        while (from is not null && steps.Count < 20);
        var again = await store.DeleteByUserAsync(company, "ann", 4, null);

        Assert.Equal([4, 4, 4, 4, 4, 4, 1], steps.Select(s => s.Deleted));
        Assert.True(steps[^1].Done);
        Assert.Equal((0, true), (again.Deleted, again.Done)); // a step repeated after the end finds nothing
        var left = await Task.WhenAll(Enumerable.Range(0, 9).Select(l => store.ReadPageAsync(company, $"lead{l}", 50, null)));
        Assert.Equal(6, left.Sum(p => p.Items.Count));
        Assert.All(left.SelectMany(p => p.Items), e => Assert.Equal("bob", e.UserId));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_step_repeated_from_an_earlier_position_removes_only_what_is_still_there(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        await store.WriteAsync(company, [.. Enumerable.Range(0, 10).Select(n => Entry("lee", n, "ann"))]);

        var first = await store.DeleteByUserAsync(company, "ann", 3, null);
        var second = await store.DeleteByUserAsync(company, "ann", 3, first.Next);
        var repeated = await store.DeleteByUserAsync(company, "ann", 3, first.Next); // the crash came before the position was saved
        var rest = await store.DeleteAllByUserAsync(company, "ann");

        Assert.Equal((3, 3, 3, 1), (first.Deleted, second.Deleted, repeated.Deleted, rest));
        Assert.Empty((await store.ReadPageAsync(company, "lee", 50, null)).Items);
    }
}
