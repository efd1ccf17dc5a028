using Azure;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Storage;
using MailSync.Grains.Timeline;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>The Azure timeline store on Azurite, and the memory store of the development mode, behave alike.</summary>
[Trait("Category", "Servers")]
public sealed class TimelineStoreTests
{
    /// <summary>40,000 characters.</summary>
    private static readonly string LongSubject = string.Join(' ', Enumerable.Repeat("abcdefg", 5000)) + "!";

    private static readonly string[] ManyCc = [.. Enumerable.Range(0, 2000).Select(i => $"cc{i}@many.example")];

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

        var removed = await store.DeleteAllByUserAsync(company, "ann");

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
        await store.DeleteAllByUserAsync(company, "bob");
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

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Bounded_entries_of_a_40000_character_subject_and_of_2000_Cc_land_shortened_and_capped_with_their_counts(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        var longSubject = TimelineEntryBounds.Apply(Entry("lee", 1) with { Subject = LongSubject });
        var manyCc = TimelineEntryBounds.Apply(Entry("lee", 2) with { Cc = ManyCc });

        var refused = await store.WriteAsync(company, [longSubject, manyCc, Entry("lee", 3)]);

        Assert.Empty(refused);
        var timeline = (await store.ReadPageAsync(company, "lee", 50, null)).Items;
        Assert.Equal(["m3@x", "m2@x", "m1@x"], timeline.Select(e => e.MessageId));
        AssertShortened(timeline[2]);
        AssertCapped(timeline[1]);
        Assert.Equal((1, 0, false), (timeline[0].ToCount, timeline[0].CcCount, timeline[0].SubjectShortened));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_entry_passed_unbounded_is_bounded_by_the_store_itself_under_the_keys_of_the_full_entry(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        var raw = Entry("lee", 1) with { Subject = LongSubject, Cc = ManyCc, MessageId = new string('m', 1500) + "@x", From = new string('f', 300) + "@x" };

        var refused = await store.WriteAsync(company, [raw]);

        Assert.Empty(refused);
        var read = Assert.Single((await store.ReadPageAsync(company, "lee", 50, null)).Items);
        AssertShortened(read);
        AssertCapped(read);
        Assert.Equal((998, 254), (read.MessageId.Length, read.From.Length));
        Assert.Equal(TimelineKeys.Row(raw), TimelineKeys.Row(read));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Entries_over_Azures_limits_even_when_bounded_are_refused_and_the_rest_of_the_call_is_stored(string kind)
    {
        var store = Create(kind);
        var company = $"co-{Guid.NewGuid():N}";
        var overEntityLimit = Entry("lee", 2, user: new string('u', 600_000));
        var overFieldLimit = Entry(new string('l', 40_000), 3);

        var refused = await store.WriteAsync(company, [Entry("lee", 1), overEntityLimit, overFieldLimit, Entry("lee", 4) with { Subject = LongSubject }]);

        Assert.Equal(2, refused.Count);
        Assert.Same(overEntityLimit, refused[0].Entry);
        Assert.Equal("the stored email would exceed Azure Table storage's 1 MiB entity limit", refused[0].Reason);
        Assert.Same(overFieldLimit, refused[1].Entry);
        Assert.Equal("its LeadId would exceed Azure Table storage's 64 KiB limit for one field", refused[1].Reason);
        Assert.Equal(["m4@x", "m1@x"], (await store.ReadPageAsync(company, "lee", 50, null)).Items.Select(e => e.MessageId));
    }

    [Fact]
    public async Task A_transaction_Azure_refuses_for_one_entity_is_retried_one_by_one_and_only_that_entity_is_skipped()
    {
        var table = await Table();
        var partition = $"refusal-{Guid.NewGuid():N}";
        var actions = Enumerable.Range(0, 6).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertReplace,
            new TableEntity(partition, $"r{i}") { ["Subject"] = i == 3 ? new string('s', 40_000) : $"subject {i}" })).ToList();

        var refused = await TableBatches.SubmitRefusingAsync(table, actions, parallelism: 2, CancellationToken.None);

        var (action, error) = Assert.Single(refused);
        Assert.Equal(("r3", 400, "PropertyValueTooLarge"), (action.Entity.RowKey, error.Status, error.ErrorCode));
        var stored = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition)) stored.Add(entity.RowKey);
        Assert.Equal(["r0", "r1", "r2", "r4", "r5"], stored);
    }

    [Fact]
    public async Task A_call_of_more_than_4_MiB_is_cut_into_transactions_Azure_takes()
    {
        var store = new SyncHarness().Timeline;
        var company = $"co-{Guid.NewGuid():N}";
        string[] full = [.. Enumerable.Range(0, 100).Select(i => $"{i:D3}{new string('a', 241)}@x.example")]; // 100 addresses of 254 characters
        TimelineEntry[] entries = [.. Enumerable.Range(0, 100).Select(n => Entry("lee", n) with { To = full, Cc = full })];
        var oneTransaction = entries.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, AzureTimelineStore.ToEntity(company + "-whole", e))).ToList();

        var whole = await Assert.ThrowsAnyAsync<RequestFailedException>(async () => await (await Table()).SubmitTransactionAsync(oneTransaction));
        var refused = await store.WriteAsync(company, entries);

        Assert.Equal(413, whole.Status); // what sending the call as one transaction gets
        Assert.Empty(refused);
        var timeline = (await store.ReadPageAsync(company, "lee", 500, null)).Items;
        Assert.Equal(100, timeline.Count);
        Assert.All(timeline, e => Assert.Equal(full, e.Cc));
        Assert.All(timeline, e => Assert.Equal((100, 100), (e.ToCount, e.CcCount)));
    }

    [Fact]
    public async Task Rows_written_before_the_counts_existed_read_with_the_counts_of_their_lists()
    {
        var store = new SyncHarness().Timeline;
        var company = $"co-{Guid.NewGuid():N}";
        var entry = Entry("lee", 1) with { To = ["ann@acme.test", "bob@acme.test"], Cc = ["cy@acme.test"] };
        await (await Table()).UpsertEntityAsync(new TableEntity(TimelineKeys.Partition(company, "lee"), TimelineKeys.Row(entry))
        {
            ["LeadId"] = "lee", ["MessageId"] = entry.MessageId, ["Subject"] = entry.Subject, ["Date"] = entry.Date, ["Direction"] = "Received",
            ["From"] = entry.From, ["To"] = """["ann@acme.test","bob@acme.test"]""", ["Cc"] = """["cy@acme.test"]""", ["UserId"] = "ann",
        });

        var read = Assert.Single((await store.ReadPageAsync(company, "lee", 50, null)).Items);

        Assert.Equal((2, 1, false), (read.ToCount, read.CcCount, read.SubjectShortened));
        Assert.Equal(TimelineKeys.Row(entry), TimelineKeys.Row(read));
    }

    private static void AssertShortened(TimelineEntry entry)
    {
        Assert.Equal(LongSubject[..999] + "…", entry.Subject);
        Assert.True(entry.SubjectShortened);
    }

    private static void AssertCapped(TimelineEntry entry)
    {
        Assert.Equal(ManyCc.Take(100), entry.Cc);
        Assert.Equal(2000, entry.CcCount);
    }

    private static async Task<TableClient> Table()
    {
        var table = new TableServiceClient(TestServices.Current.TablesConnectionString).GetTableClient(AzureTimelineStore.TableName);
        await table.CreateIfNotExistsAsync();
        return table;
    }
}
