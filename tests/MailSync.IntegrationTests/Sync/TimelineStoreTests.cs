using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Timeline;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>The Azure timeline store on Azurite, and the memory store of the development mode, behave alike.</summary>
public sealed class TimelineStoreTests
{
    public static TheoryData<string> Stores => ["azure", "memory"];

    private static ITimelineStore Create(string kind) => kind == "azure" ? new SyncHarness().Timeline : new MemoryTimelineStore();

    private static TimelineEntry Entry(string lead, int n, string user = "ann") => new(
        lead, $"m{n}@x", $"subject {n}", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddHours(n),
        MessageDirection.Received, "lee@lead.example", ["ann@acme.test"], [], user);

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Pages_newest_first_with_a_continuation_until_the_end(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        await store.WriteAsync(company, [.. Enumerable.Range(0, 5).Select(n => Entry("lee", n)), Entry("lee2", 9)]);

        var first = await store.ReadPageAsync(company, "lee", 2, null);
        var second = await store.ReadPageAsync(company, "lee", 2, first.Next);
        var third = await store.ReadPageAsync(company, "lee", 2, second.Next);

        Assert.Equal(["subject 4", "subject 3", "subject 2", "subject 1", "subject 0"],
            first.Items.Concat(second.Items).Concat(third.Items).Select(e => e.Subject));
        Assert.Null(third.Next);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Writing_the_same_entries_again_adds_nothing_and_large_mixed_batches_are_split(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        // 40 leads × 30 messages: many partitions and more than 100 entities for some of them.
        TimelineEntry[] entries = [.. Enumerable.Range(0, 40).SelectMany(lead => Enumerable.Range(0, 30).Select(n => Entry($"lead{lead}", n)))];

        await store.WriteAsync(company, entries);
        await store.WriteAsync(company, entries);

        foreach (var lead in new[] { "lead0", "lead17", "lead39" })
            Assert.Equal(30, (await store.ReadPageAsync(company, lead, 500, null)).Items.Count);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Deleting_a_users_entries_leaves_other_users_and_companies_alone(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        var neighbour = company + "x";
        await store.WriteAsync(company, [Entry("lee", 1, "ann"), Entry("lee", 2, "bob"), Entry("lia", 3, "ann")]);
        await store.WriteAsync(neighbour, [Entry("lee", 1, "ann")]);

        var removed = await store.DeleteByUserAsync(company, "ann");

        Assert.Equal(2, removed);
        Assert.Equal(["bob"], (await store.ReadPageAsync(company, "lee", 50, null)).Items.Select(e => e.UserId));
        Assert.Empty((await store.ReadPageAsync(company, "lia", 50, null)).Items);
        Assert.Single((await store.ReadPageAsync(neighbour, "lee", 50, null)).Items);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_message_two_users_saw_is_one_entry_on_every_page_and_survives_one_of_them_leaving(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        await store.WriteAsync(company, [.. Enumerable.Range(0, 3).SelectMany(n => new[] { Entry("lee", n, "ann"), Entry("lee", n, "bob") })]);

        var subjects = new List<string>();
        string? next = null;
        do
        {
            var page = await store.ReadPageAsync(company, "lee", 1, next);
            subjects.AddRange(page.Items.Select(e => e.Subject));
            next = page.Next;
        }
        while (next is not null);
        await store.DeleteByUserAsync(company, "bob");
        var afterBobLeft = await store.ReadPageAsync(company, "lee", 50, null);

        Assert.Equal(["subject 2", "subject 1", "subject 0"], subjects);
        Assert.Equal(["subject 2", "subject 1", "subject 0"], afterBobLeft.Items.Select(e => e.Subject));
        Assert.All(afterBobLeft.Items, e => Assert.Equal("ann", e.UserId));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_continuation_token_that_is_not_ours_is_an_argument_error(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        await store.WriteAsync(company, [.. Enumerable.Range(0, 3).Select(n => Entry("lee", n))]);
        var leesToken = (await store.ReadPageAsync(company, "lee", 1, null)).Next;

        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadPageAsync(company, "lee", 10, "not-a-token"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadPageAsync(company, "lia", 10, leesToken));
    }
}
