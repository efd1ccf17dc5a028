using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Diagnostics;
using MailSync.Shared.Time;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// The silo's IMAP sockets. Two budgets: at most MailSync:MaxConcurrentSessionsPerSilo passes hold a socket at once, and
/// at most MailSync:MaxKeptSessionsPerSilo logged-in sessions are kept idle between passes, so a silo of 10,000 mailboxes
/// never opens 10,000 sockets for passes yet most polls log in no more. A session returned after a good pass stays logged
/// in for the mailbox's next poll (a no-change poll then costs one LIST instead of TLS and a login); over the budget,
/// the session of the mailbox that polls furthest in the future is closed (<see cref="KeptSessions{TKey, TSession}"/>),
/// and idle sessions close after MailSync:IdleSessionTimeout. Fairness: one company, and one IMAP host, may run only
/// their share of passes at once (<see cref="SessionShares"/>), so a tenant whose servers hang cannot starve the others;
/// a pass beyond its share waits for one like for a socket (holding none meanwhile). Kept sessions watch the folder where
/// new mail arrives with IMAP IDLE meanwhile (<see cref="FolderWatch"/>), every one of them unless
/// MailSync:MaxWatchingSessionsPerSilo caps it.
/// </summary>
public sealed class ImapSessionPool(
    IOptions<MailSyncOptions> options, ImapSessionFactory factory, MailSyncClock clock, ILogger<ImapSessionPool>? logger = null)
    : IDisposable
{
    private readonly ILogger log = (ILogger?)logger ?? NullLogger.Instance;
    private int watching;

    private readonly SemaphoreSlim passes = new(options.Value.MaxConcurrentSessionsPerSilo);
    private readonly Lock gate = new();
    private readonly KeptSessions<MailboxKey, KeptSession> kept =
        new(options.Value.MaxKeptSessionsPerSilo, options.Value.IdleSessionTimeout);
    private readonly SessionShares shares = new(options.Value);

    /// <summary>
    /// A logged-in session for <paramref name="mailbox"/>: its own kept one if still usable, else a new one; null when the
    /// mailbox's company or host already runs its share of passes, or no pass of this silo ended within
    /// <paramref name="slotWait"/>. <paramref name="pushed"/>: the pass syncs mail IDLE announced, and may use the part
    /// of the shares kept from polls.
    /// </summary>
    public async Task<ImapSession?> AcquireAsync(
        MailboxKey mailbox, MailboxCredentials credentials, ImapLogin login, TimeSpan slotWait, CancellationToken cancellationToken,
        bool pushed = false)
    {
        var started = clock.Time.GetTimestamp();
        var share = await shares.TakeAsync(mailbox.CompanyId, credentials.Imap.Host, pushed, slotWait, clock.Time, cancellationToken);
        if (share is null)
        {
            MailSyncMetrics.Waited(clock.Time.GetElapsedTime(started)); // a pass given up on counts as long as it waited
            return null;
        }
        var heldSince = clock.Time.GetTimestamp();
        var slot = false;
        try
        {
            slot = await passes.WaitAsync(slotWait, cancellationToken);
            MailSyncMetrics.Waited(clock.Time.GetElapsedTime(started));
            if (!slot)
            {
                share.Dispose();
                return null;
            }
            var fingerprint = Fingerprint(credentials);
            KeptSession? reused;
            lock (gate) reused = kept.Take(mailbox);
            if (reused is not null)
            {
                var usable = reused.Watch is null || await reused.Watch.StopAsync(options.Value.ImapTimeout);
                if (usable && reused.Fingerprint == fingerprint && reused.Client is { IsConnected: true, IsAuthenticated: true })
                    return new ImapSession(this, mailbox, fingerprint, reused.Client, share, heldSince, reused: true);
                reused.Client.Dispose(); // new credentials or a dead socket
            }
            return new ImapSession(this, mailbox, fingerprint, await factory.OpenAsync(credentials, login, cancellationToken), share,
                heldSince, reused: false);
        }
        catch
        {
            if (slot) passes.Release();
            share.Dispose();
            throw;
        }
    }

    /// <summary>Closes the session kept for <paramref name="mailbox"/>, if any: its user disconnected it.</summary>
    public void Forget(MailboxKey mailbox)
    {
        KeptSession? gone;
        lock (gate) gone = kept.Take(mailbox);
        gone?.Close();
    }

    /// <summary>Sockets open now: those of running passes plus the kept ones.</summary>
    public int OpenSessions => options.Value.MaxConcurrentSessionsPerSilo - passes.CurrentCount + IdleCount;

    /// <summary>Number of logged-in sessions kept for later polls.</summary>
    public int IdleCount
    {
        get { lock (gate) return kept.Count; }
    }

    /// <summary>Kept sessions watching INBOX with IDLE now.</summary>
    public int Watching => Volatile.Read(ref watching);

    /// <summary>Kept sessions whose watch has its IDLE running (the server tells them of new mail from now on).</summary>
    public int Idling
    {
        get { lock (gate) return kept.Sessions.Count(k => k.Watch?.Idling == true); }
    }

    /// <summary>Logins this pool's factory made: a no-change poll on a kept session makes none.</summary>
    public long Logins => factory.Logins;

    /// <summary>
    /// Keeps the session of a good pass for the mailbox's poll at <paramref name="nextUse"/>, if it is worth a place, and
    /// has it watch <paramref name="watched"/> until then when the mailbox wants to hear of new mail and the watch budget allows.
    /// </summary>
    internal void Return(ImapSession session, DateTimeOffset nextUse, Func<Task>? mailArrived, IMailFolder? watched, uint? watchedUidNext)
    {
        ReleaseSlot(session);
        IReadOnlyList<KeptSession> closed;
        var keeping = new KeptSession(session.Fingerprint, session.Client);
        lock (gate)
        {
            closed = session.Client.IsConnected
                ? kept.Keep(session.Mailbox, keeping, nextUse, clock.Now)
                : [keeping, .. kept.Expire(clock.Now)];
            // Under the lock: an eviction right after must find the watch to end it.
            if (mailArrived is not null && watched is not null && !closed.Contains(keeping) && TakeWatchPlace())
            {
                keeping.Watch = FolderWatch.Start(session.Client, watched, watchedUidNext, mailArrived, options.Value.IdleRefreshInterval,
                    clock.Time, log, () => Interlocked.Decrement(ref watching));
                if (keeping.Watch is null) Interlocked.Decrement(ref watching); // the server has no IDLE
            }
        }
        foreach (var gone in closed) gone.Close(); // without waiting for the server: a LOGOUT is a round trip per eviction
    }

    private bool TakeWatchPlace()
    {
        while (true)
        {
            var now = Volatile.Read(ref watching);
            if (now >= options.Value.WatchingSessionCap) return false;
            if (Interlocked.CompareExchange(ref watching, now + 1, now) == now) return true;
        }
    }

    internal void Discard(ImapSession session)
    {
        session.Client.Dispose();
        ReleaseSlot(session);
    }

    private void ReleaseSlot(ImapSession session)
    {
        passes.Release();
        MailSyncMetrics.Held(clock.Time.GetElapsedTime(session.HeldSince));
    }

    public void Dispose()
    {
        List<KeptSession> all;
        lock (gate) all = kept.Clear();
        foreach (var session in all) session.Close();
        passes.Dispose();
    }

    /// <summary>
    /// Which credentials a kept session was opened with. A Microsoft refresh token changes with every refresh while the account
    /// stays the same: it is left out, so rotation does not reopen (Exchange allows few connections per mailbox).
    /// </summary>
    private static string Fingerprint(MailboxCredentials c) => Convert.ToHexString(SHA256.HashData(
        Encoding.UTF8.GetBytes(string.Join('\n', c.Provider, c.Imap.Host, c.Imap.Port, c.Imap.Security, c.Username,
            c.Provider == MailboxProvider.Microsoft ? "" : c.Secret))));

    private sealed class KeptSession(string fingerprint, BoundedImapClient client)
    {
        public string Fingerprint => fingerprint;

        public BoundedImapClient Client => client;

        /// <summary>Set under the pool's lock as the session is kept, before any pass can take it.</summary>
        public FolderWatch? Watch { get; set; }

        public void Close()
        {
            if (Watch is { } watch) watch.Abort();
            else client.Dispose();
        }
    }
}

/// <summary>
/// A leased session. <see cref="Return"/> after a good pass keeps it for the mailbox's next poll; disposing without
/// returning closes it (after any failure the connection's state is unknown).
/// </summary>
public sealed class ImapSession : IDisposable
{
    private readonly ImapSessionPool pool;
    private readonly IDisposable share;
    private bool done;

    internal ImapSession(
        ImapSessionPool pool, MailboxKey mailbox, string fingerprint, BoundedImapClient client, IDisposable share, long heldSince,
        bool reused)
    {
        HeldSince = heldSince;
        this.pool = pool;
        this.share = share;
        Mailbox = mailbox;
        Fingerprint = fingerprint;
        Client = client;
        Reused = reused;
    }

    public BoundedImapClient Client { get; }

    /// <summary>True when the session was kept from an earlier pass (the server may have dropped it since).</summary>
    public bool Reused { get; }

    internal MailboxKey Mailbox { get; }

    internal string Fingerprint { get; }

    /// <summary>When the pass took its share (a <see cref="TimeProvider"/> timestamp).</summary>
    internal long HeldSince { get; }

    /// <summary>
    /// Keeps the session for the mailbox's next poll, expected at <paramref name="nextUse"/>; meanwhile it may watch
    /// <paramref name="watched"/> (INBOX when not given) and call <paramref name="mailArrived"/> when the server announces new
    /// mail, or at once when the folder's UIDNEXT already passed <paramref name="watchedUidNext"/> (what the pass saw) as the
    /// watch begins.
    /// </summary>
    public void Return(DateTimeOffset nextUse, Func<Task>? mailArrived = null, IMailFolder? watched = null, uint? watchedUidNext = null)
    {
        if (done) return;
        done = true;
        share.Dispose();
        pool.Return(this, nextUse, mailArrived, watched ?? Client.Inbox, watchedUidNext);
    }

    public void Dispose()
    {
        if (done) return;
        done = true;
        share.Dispose();
        pool.Discard(this);
    }
}
