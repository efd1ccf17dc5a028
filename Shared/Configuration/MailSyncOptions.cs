using System.ComponentModel.DataAnnotations;

namespace MailSync.Shared.Configuration;

/// <summary>Configuration section <c>MailSync</c>: how often mailboxes poll, retry and give up.</summary>
public sealed class MailSyncOptions : IValidatableObject
{
    public const string Section = "MailSync";

    /// <summary>Between successful polls.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a failure streak lasts before the mailbox stops trying (ConnectionIssue).</summary>
    public TimeSpan ConnectionIssueAfter { get; set; } = TimeSpan.FromDays(2);

    public RetryOptions Retry { get; set; } = new();

    /// <summary>
    /// Period of the durable reminder that brings a mailbox back after deactivation or silo loss; at least Orleans'
    /// ReminderOptions.MinimumReminderPeriod (1 minute unless lowered), checked at start.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Shards of the list of polling mailboxes kept active by schedule keepers (each ≤ ~14,000 mailboxes). Changing it
    /// moves mailboxes to other shards on their next activation; until then old shards may resume a mailbox once more.
    /// </summary>
    [Range(1, 1024)]
    public int ScheduleShards { get; set; } = 32;

    /// <summary>How often every silo pings every keeper shard: a shard lost with its silo is back within about this.</summary>
    public TimeSpan KeeperPingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the silo hands free native heap pages back to the system (glibc's malloc_trim; zero: never): TLS
    /// handshakes leave freed memory between kept sessions' allocations, which glibc otherwise keeps resident.
    /// </summary>
    public TimeSpan NativeHeapTrimInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the silo compacts its managed heap and returns the freed memory to the system (zero: never, the GC
    /// decides): between full collections the heap holds garbage of passes long done.
    /// </summary>
    public TimeSpan ManagedHeapCompactInterval { get; set; } = TimeSpan.Zero;

    /// <summary>± fraction applied to poll intervals and reminder due times so silos do not poll in lockstep.</summary>
    [Range(0.0, 0.5)]
    public double PollJitter { get; set; } = 0.1;

    /// <summary>Plain-text IMAP (security "none") is refused unless this is true.</summary>
    public bool AllowInsecureImap { get; set; }

    /// <summary>
    /// Allow IMAP servers on loopback, private or link-local addresses. Off in production (users must not reach the
    /// cluster's own network through their mailbox settings); on for development and tests on 127.0.0.1.
    /// </summary>
    public bool AllowPrivateImapHosts { get; set; }

    /// <summary>
    /// The only ports IMAP connections may go to; unset = <see cref="DefaultImapPorts"/>. A configured list replaces the
    /// default (it is not added to it), so <c>MailSync:AllowedImapPorts:0=993</c> allows 993 alone. Users name their own
    /// servers: without this list they could make the silo knock on any port of any public host (SMTP, SSH, databases).
    /// </summary>
    public List<int>? AllowedImapPorts { get; set; }

    /// <summary>IMAP's two ports: 143 (STARTTLS or plain) and 993 (implicit TLS).</summary>
    public static readonly IReadOnlyList<int> DefaultImapPorts = [143, 993];

    /// <summary>
    /// Connect to any port, ignoring <see cref="AllowedImapPorts"/>: for the test suite, whose IMAP servers (Dovecot and
    /// the hostile fakes) listen on random free ports. Never in production.
    /// </summary>
    public bool AllowAnyImapPort { get; set; }

    /// <summary>The ports IMAP connections may go to: <see cref="AllowedImapPorts"/> if set, else the default.</summary>
    public IReadOnlyList<int> ImapPorts => AllowedImapPorts is { Count: > 0 } ports ? ports : DefaultImapPorts;

    /// <summary>Whether an IMAP connection may go to <paramref name="port"/>; the API and the silo ask the same.</summary>
    public bool AllowsImapPort(int port) => AllowAnyImapPort || ImapPorts.Contains(port);

    /// <summary>
    /// Shortest time between two "sync now" requests of one mailbox that run; one within it is refused (429) and changes
    /// nothing. Kept by the mailbox grain, so it holds across API hosts and silos.
    /// </summary>
    public TimeSpan SyncNowCooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Shortest time between two connects of one mailbox with a password through the API; one within it is refused (429)
    /// and changes nothing, so the silos dial a host named in a connect at most once per this. Long enough to stop a
    /// loop, short enough that a user who fixes a typo after the first error is not kept waiting.
    /// </summary>
    public TimeSpan ConnectCooldown { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a single IMAP session may take to connect, log in and answer.</summary>
    public TimeSpan ImapTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Passes that run at once on a silo (kept idle sessions do not count: <see cref="MaxKeptSessionsPerSilo"/>). By
    /// Little's law a silo of 10,000 mailboxes polling every minute runs 167 passes a second × a pass's time at once, and
    /// one big company gets a quarter of these (docs/adr/0029-pass-slots-and-fair-shares.md).
    /// </summary>
    [Range(1, 100_000)]
    public int MaxConcurrentSessionsPerSilo { get; set; } = 256;

    /// <summary>
    /// Logged-in IMAP sessions a silo keeps idle between a mailbox's polls, so a poll that finds nothing new costs two
    /// SELECTs instead of a TLS handshake and a login. Over the budget, the session of the mailbox that polls furthest in
    /// the future is closed. Each kept session costs memory (measured by <c>scripts/bench.sh sessions</c>, see
    /// docs/benchmarks.md) and one connection on the mail server; 0 keeps none.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxKeptSessionsPerSilo { get; set; } = KeptSessionsDefault;

    /// <summary>
    /// Default of <see cref="MaxKeptSessionsPerSilo"/>: every mailbox of a 10,000-mailbox silo keeps its session. A poll that
    /// logs in costs the mail server a login and this silo a TLS handshake and its garbage; at 1-minute polls logging in is
    /// what saturates a silo, not the ~100 KB a kept TLS session holds (docs/adr/0026-every-mailbox-keeps-its-session.md).
    /// </summary>
    public const int KeptSessionsDefault = 10_000;

    /// <summary>
    /// Kept sessions that also watch the folder where new mail arrives (INBOX, or Gmail's All Mail) with IMAP IDLE between
    /// polls, so new mail reaches the timeline within seconds instead of at the next poll. A watch uses the mailbox's one
    /// kept connection (Gmail allows 15 per account), so it costs no socket and no memory beyond the kept session. Unset,
    /// every kept session watches; 0 turns push off (polling only).
    /// </summary>
    [Range(0, 1_000_000)]
    public int? MaxWatchingSessionsPerSilo { get; set; }

    /// <summary>The watches a silo keeps: <see cref="MaxWatchingSessionsPerSilo"/>, or every kept session.</summary>
    public int WatchingSessionCap => MaxWatchingSessionsPerSilo ?? MaxKeptSessionsPerSilo;

    /// <summary>
    /// Folders one mailbox's passes read at most: past it, INBOX, Sent, the archives, then the rest by name, and one
    /// warning in the error log, so a mailbox of 50,000 folders costs the silo no more than one of 1,000.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxFoldersPerMailbox { get; set; } = 1_000;

    /// <summary>
    /// Address look-ups each silo keeps (leads found, and addresses that are no lead): the bound on what a company's
    /// leads cost a silo's memory, about 200 bytes an entry. A change to a lead makes every silo forget its addresses.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int LeadCacheEntries { get; set; } = 100_000;

    /// <summary>
    /// How long after lead writes a backfill round starts (writes meanwhile join it): every syncing mailbox of the company
    /// then reads its initial window again for the new leads, one header pass per round however many leads it covers.
    /// </summary>
    public TimeSpan LeadBackfillDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Mailboxes of one company reading their initial window again at once in a backfill round; the rest wait their turn,
    /// so a round of 10,000 mailboxes never crowds out the company's polls and imports.
    /// </summary>
    [Range(1, 1_000)]
    public int LeadBackfillConcurrency { get; set; } = 16;

    /// <summary>
    /// On servers without LIST-STATUS (RFC 5819), how often a pass lists the folders again to find new ones (the listing is
    /// kept with the session meanwhile; each poll asks one STATUS per folder). With LIST-STATUS every poll lists them, at
    /// no extra cost.
    /// </summary>
    public TimeSpan FolderDiscoveryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A watch ends and re-issues its IDLE at least this often: servers drop a connection silent for 30 minutes
    /// (RFC 2177 says re-issue within 29), and some proxies much sooner.
    /// </summary>
    public TimeSpan IdleRefreshInterval { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>
    /// Passes one company may run at once on a silo, so one tenant's slow or dead servers cannot take every connection;
    /// unset = a quarter of <see cref="MaxConcurrentSessionsPerSilo"/> (at least 1).
    /// </summary>
    [Range(1, 100_000)]
    public int? MaxConcurrentSessionsPerCompany { get; set; }

    /// <summary>Passes against one IMAP host at once on a silo; unset = half of <see cref="MaxConcurrentSessionsPerSilo"/>.</summary>
    [Range(1, 100_000)]
    public int? MaxConcurrentSessionsPerHost { get; set; }

    /// <summary>Hosts every mailbox of a provider shares (Gmail), exempt from the per-host cap.</summary>
    public List<string> HostsWithoutSessionCap { get; set; } = ["imap.gmail.com"];

    public int CompanySessionCap => MaxConcurrentSessionsPerCompany ?? Math.Max(1, MaxConcurrentSessionsPerSilo / 4);

    public int HostSessionCap => MaxConcurrentSessionsPerHost ?? Math.Max(1, MaxConcurrentSessionsPerSilo / 2);

    /// <summary>
    /// A poll that changes nothing but the times of the last and next attempt persists the mailbox's state at most this
    /// often; any status change, error, warning, new message or cursor change is persisted at once. After a crash the
    /// mailbox then only polls a little early and shows a slightly older last sync time.
    /// </summary>
    public TimeSpan QuietStateWriteInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a logged-in IMAP session is kept for the mailbox's next poll (below servers' 30 min autologout).</summary>
    public TimeSpan IdleSessionTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The CRM's Mail Sync settings page: where the Google and Microsoft sign-in callbacks send the browser back to.</summary>
    public string? SettingsPageUrl { get; set; }

    /// <summary>How far back the first sync of a folder looks.</summary>
    public TimeSpan InitialSyncWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Longest one sync pass runs before it stops at a batch boundary and continues in a new pass right away, so
    /// connect, disconnect and retries of that mailbox never wait long behind a big initial sync.
    /// </summary>
    public TimeSpan MaxPassDuration { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Messages fetched (and checkpointed) per batch.</summary>
    [Range(1, 10_000)]
    public int FetchBatchSize { get; set; } = 2500;

    /// <summary>
    /// Timeline entries removed per step when a mailbox is disconnected without keeping its history. Each step is saved,
    /// so a huge history is never removed in one go and a crash or storage fault resumes where it stopped.
    /// </summary>
    [Range(1, 100_000)]
    public int HistoryDeletionChunk { get; set; } = 1000;

    /// <summary>
    /// SHA-256 thumbprints (hex) of server certificates trusted even though no public CA vouches for them: custom
    /// IMAP servers with self-signed certificates. Everything else must validate normally.
    /// </summary>
    public List<string> TrustedCertificateThumbprints { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PollInterval <= TimeSpan.Zero) yield return Invalid(nameof(PollInterval), "must be positive");
        if (ConnectionIssueAfter <= TimeSpan.Zero) yield return Invalid(nameof(ConnectionIssueAfter), "must be positive");
        if (KeeperPingInterval < TimeSpan.FromMilliseconds(100))
            yield return Invalid(nameof(KeeperPingInterval), "must be at least 100 ms");
        if (NativeHeapTrimInterval < TimeSpan.Zero) yield return Invalid(nameof(NativeHeapTrimInterval), "must not be negative");
        if (ManagedHeapCompactInterval < TimeSpan.Zero) yield return Invalid(nameof(ManagedHeapCompactInterval), "must not be negative");
        if (ReminderPeriod < TimeSpan.FromSeconds(1)) yield return Invalid(nameof(ReminderPeriod), "must be at least 1 second");
        if (MaxPassDuration < TimeSpan.Zero) yield return Invalid(nameof(MaxPassDuration), "must not be negative");
        if (InitialSyncWindow <= TimeSpan.Zero) yield return Invalid(nameof(InitialSyncWindow), "must be positive");
        if (ImapTimeout <= TimeSpan.Zero) yield return Invalid(nameof(ImapTimeout), "must be positive");
        if (QuietStateWriteInterval < TimeSpan.Zero) yield return Invalid(nameof(QuietStateWriteInterval), "must not be negative");
        if (SyncNowCooldown <= TimeSpan.Zero) yield return Invalid(nameof(SyncNowCooldown), "must be positive");
        if (ConnectCooldown <= TimeSpan.Zero) yield return Invalid(nameof(ConnectCooldown), "must be positive");
        if (IdleRefreshInterval < TimeSpan.FromSeconds(1) || IdleRefreshInterval > TimeSpan.FromMinutes(29))
            yield return Invalid(nameof(IdleRefreshInterval), "must be between 1 second and 29 minutes");
        if (FolderDiscoveryInterval <= TimeSpan.Zero) yield return Invalid(nameof(FolderDiscoveryInterval), "must be positive");
        if (LeadBackfillDelay < TimeSpan.Zero || LeadBackfillDelay > TimeSpan.FromMinutes(1))
            yield return Invalid(nameof(LeadBackfillDelay), "must be between 0 and 1 minute (new leads get their past emails within 2)");
        if (MaxWatchingSessionsPerSilo > MaxKeptSessionsPerSilo)
            yield return Invalid(nameof(MaxWatchingSessionsPerSilo),
                "must not exceed MailSync:MaxKeptSessionsPerSilo (a watch is a kept session)");
        foreach (var (port, i) in (AllowedImapPorts ?? []).Select((p, i) => (p, i)))
        {
            if (port is < 1 or > 65535) yield return Invalid($"{nameof(AllowedImapPorts)}:{i}", "must be a port between 1 and 65535");
        }
        if (Retry.Initial <= TimeSpan.Zero) yield return Invalid("Retry:Initial", "must be positive");
        if (Retry.Max < Retry.Initial) yield return Invalid("Retry:Max", "must not be below Retry:Initial");
        if (Retry.Jitter is < 0 or > 0.5) yield return Invalid("Retry:Jitter", "must be between 0 and 0.5");
    }

    private static ValidationResult Invalid(string key, string why) => new($"MailSync:{key} {why}.", [key]);
}

public sealed class RetryOptions
{
    public TimeSpan Initial { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan Max { get; set; } = TimeSpan.FromHours(1);

    /// <summary>± fraction of each back-off delay (0.2 = ±20 %).</summary>
    public double Jitter { get; set; } = 0.2;
}
