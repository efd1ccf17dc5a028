using Azure.Data.Tables;
using MailSync.Grains.Auth;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Leads;
using MailSync.Grains.NeverLog;
using MailSync.Grains.Storage;
using MailSync.Grains.Sync;
using MailSync.Grains.Timeline;
using MailSync.Shared.Configuration;
using MailSync.Shared.Google;
using MailSync.Shared.MicrosoftIdentity;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailSync.Testing;

/// <summary>
/// The real sync engine against the test Dovecot and Azurite, outside any cluster: cursors live in a dictionary
/// (the grain's part), leads in a <see cref="DictionaryLeadResolver"/>.
/// </summary>
public sealed class SyncHarness
{
    /// <summary>
    /// Options as the test servers need them: Dovecot's certificate trusted, 127.0.0.1 allowed, and any port (Dovecot and the
    /// hostile fakes listen on random free ports; tests of the port allow-list turn <c>AllowAnyImapPort</c> off).
    /// </summary>
    public SyncHarness(Action<MailSyncOptions>? configure = null, TimeProvider? time = null)
    {
        Options = new MailSyncOptions
        {
            TrustedCertificateThumbprints = [Dovecot.CertificateThumbprint], ImapTimeout = TimeSpan.FromSeconds(10), AllowPrivateImapHosts = true,
            AllowAnyImapPort = true,
        };
        configure?.Invoke(Options);
        options = Microsoft.Extensions.Options.Options.Create(Options);
        Timeline = new AzureTimelineStore(new MailSyncTables(new TableServiceClient(TestServices.Current.TablesConnectionString)));
        clock = new MailSyncClock(time ?? TimeProvider.System);
        Sessions = new ImapSessionPool(options, new ImapSessionFactory(options), clock);
        Authenticator = new MailboxAuthenticator(
            new GoogleAccessTokens(new GoogleTokenClient(Microsoft.Extensions.Options.Options.Create(Google), new HttpClient()), clock),
            new MicrosoftAccessTokens(new MicrosoftTokenClient(Microsoft.Extensions.Options.Options.Create(MicrosoftIdentity), new HttpClient()), clock));
        Engine = new ImapSyncEngine(options, Sessions, Authenticator, Leads, NeverLog, Timeline, clock, NullLogger<ImapSyncEngine>.Instance);
    }

    private readonly IOptions<MailSyncOptions> options;
    private readonly MailSyncClock clock;

    public MailSyncOptions Options { get; }

    public string CompanyId { get; } = $"co-{Guid.NewGuid():N}";

    public DictionaryLeadResolver Leads { get; } = new();

    /// <summary>The never-log lists and internal-mail rule the engine reads (in memory: empty unless a test adds to them).</summary>
    public NeverLogRows NeverLogRows { get; } = new(new MemoryCompanyRows());

    private StoredNeverLogReader NeverLog => new(NeverLogRows);

    public AzureTimelineStore Timeline { get; }

    public ImapSyncEngine Engine { get; }

    public ImapSessionPool Sessions { get; }

    public MailboxAuthenticator Authenticator { get; }

    /// <summary>Microsoft endpoints for provider "microsoft" mailboxes (the tests' fake Microsoft).</summary>
    public MicrosoftOptions MicrosoftIdentity { get; } = new();

    /// <summary>Google endpoints for provider "google" mailboxes (the tests' fake Google).</summary>
    public GoogleOptions Google { get; } = new();

    public Dictionary<string, FolderCursor> Cursors { get; } = [];

    /// <summary>
    /// One pass; <paramref name="sessions"/> lets two harnesses (two mailboxes' cursors) share one pool, and
    /// <paramref name="timeline"/> puts other storage under the timeline.
    /// The last cursors of a good pass are applied from its outcome, as the grain does.
    /// </summary>
    public async Task<SyncOutcome> SyncAsync(
        string userId, MailboxCredentials credentials, Func<IReadOnlyDictionary<string, FolderCursor?>, Task>? commit = null,
        ImapSessionPool? sessions = null,
        ITimelineStore? timeline = null,
        bool backfill = false)
    {
        var engine = sessions is null && timeline is null
            ? Engine
            : new ImapSyncEngine(options, sessions ?? Sessions, Authenticator, Leads, NeverLog, timeline ?? Timeline, clock, NullLogger<ImapSyncEngine>.Instance);
        var outcome = await engine.SyncAsync(
            new SyncRequest(new MailboxKey(CompanyId, userId), credentials, Cursors.ToDictionary(),
                commit ?? (changes => { Commit(changes); return Task.CompletedTask; })) { Backfill = backfill },
            CancellationToken.None);
        if (outcome.Succeeded) Commit(outcome.Cursors);
        return outcome;
    }

    /// <summary>Applies committed cursors as the grain does: a null cursor forgets its folder.</summary>
    public void Commit(IReadOnlyDictionary<string, FolderCursor?> changes)
    {
        foreach (var (key, cursor) in changes)
        {
            if (cursor is null) Cursors.Remove(key);
            else Cursors[key] = cursor;
        }
    }

    public async Task<IReadOnlyList<TimelineEntry>> TimelineOf(string leadId)
    {
        var entries = new List<TimelineEntry>();
        string? next = null;
        do
        {
            var page = await Timeline.ReadPageAsync(CompanyId, leadId, 500, next);
            entries.AddRange(page.Items);
            next = page.Next;
        }
        while (next is not null);
        return entries;
    }

    /// <summary>Every timeline row of the company, whatever the lead.</summary>
    public Task<int> CountAllEntries() => CountEntriesOf(CompanyId);

    /// <summary>Every timeline row of <paramref name="companyId"/> on the test Azurite, whatever the lead.</summary>
    public static async Task<int> CountEntriesOf(string companyId)
    {
        var table = new TableServiceClient(TestServices.Current.TablesConnectionString).GetTableClient(AzureTimelineStore.TableName);
        await table.CreateIfNotExistsAsync(); // nothing written yet on a fresh Azurite
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {TimelineKeys.CompanyStart(companyId)} and PartitionKey lt {TimelineKeys.PrefixEnd(TimelineKeys.CompanyStart(companyId))}");
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(filter, select: ["RowKey"])) count++;
        return count;
    }
}

/// <summary>A lead directory in a dictionary: address → lead ids.</summary>
public sealed class DictionaryLeadResolver : ILeadResolver
{
    private readonly Dictionary<string, List<string>> leads = new(StringComparer.OrdinalIgnoreCase);

    public void Add(string leadId, string address)
    {
        if (!leads.TryGetValue(address, out var ids)) leads[address] = ids = [];
        ids.Add(leadId);
    }

    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ResolveAsync(string companyId, IReadOnlyCollection<string> addresses) =>
        Task.FromResult<IReadOnlyDictionary<string, IReadOnlyList<string>>>(
            addresses.Where(leads.ContainsKey).ToDictionary(a => a, a => (IReadOnlyList<string>)leads[a], StringComparer.OrdinalIgnoreCase));
}
