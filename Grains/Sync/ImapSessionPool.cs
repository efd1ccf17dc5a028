using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Imap;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// The silo's IMAP sockets. Two budgets: at most MailSync:MaxConcurrentSessionsPerSilo passes hold a socket at once, and
/// at most MailSync:MaxKeptSessionsPerSilo logged-in sessions are kept idle between passes, so a silo of 10,000 mailboxes
/// never opens 10,000 sockets for passes yet most polls log in no more. A session returned after a good pass stays logged
/// in for the mailbox's next poll (a no-change poll then costs two SELECTs instead of TLS and a login); over the budget,
/// the session of the mailbox that polls furthest in the future is closed (<see cref="KeptSessions{TKey, TSession}"/>),
/// and idle sessions close after MailSync:IdleSessionTimeout. Fairness: one company, and one IMAP host, may run only
/// their share of passes at once (<see cref="SessionShares"/>), so a tenant whose servers hang cannot starve the others;
/// a pass beyond its share waits for one like for a socket (holding none meanwhile).
/// </summary>
public sealed class ImapSessionPool(IOptions<MailSyncOptions> options, ImapSessionFactory factory, MailSyncClock clock) : IDisposable
{
    private readonly SemaphoreSlim passes = new(options.Value.MaxConcurrentSessionsPerSilo);
    private readonly Lock gate = new();
    private readonly KeptSessions<MailboxKey, KeptSession> kept = new(options.Value.MaxKeptSessionsPerSilo, options.Value.IdleSessionTimeout);
    private readonly SessionShares shares = new(options.Value);

    /// <summary>
    /// A logged-in session for <paramref name="mailbox"/>: its own kept one if still usable, else a new one; null when the
    /// mailbox's company or host already runs its share of passes, or no pass of this silo ended within
    /// <paramref name="slotWait"/>.
    /// </summary>
    public async Task<ImapSession?> AcquireAsync(
        MailboxKey mailbox, MailboxCredentials credentials, ImapLogin login, TimeSpan slotWait, CancellationToken cancellationToken)
    {
        var share = await shares.TakeAsync(mailbox.CompanyId, credentials.Imap.Host, slotWait, clock.Time, cancellationToken);
        if (share is null) return null;
        var slot = false;
        try
        {
            slot = await passes.WaitAsync(slotWait, cancellationToken);
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
                if (reused.Fingerprint == fingerprint && reused.Client is { IsConnected: true, IsAuthenticated: true })
                    return new ImapSession(this, mailbox, fingerprint, reused.Client, share, reused: true);
                reused.Client.Dispose(); // new credentials or a dead socket
            }
            return new ImapSession(this, mailbox, fingerprint, await factory.OpenAsync(credentials, login, cancellationToken), share, reused: false);
        }
        catch
        {
            if (slot) passes.Release();
            share.Dispose();
            throw;
        }
    }

    /// <summary>Sockets open now: those of running passes plus the kept ones.</summary>
    public int OpenSessions => options.Value.MaxConcurrentSessionsPerSilo - passes.CurrentCount + IdleCount;

    /// <summary>Number of logged-in sessions kept for later polls.</summary>
    public int IdleCount
    {
        get { lock (gate) return kept.Count; }
    }

    /// <summary>Logins this pool's factory made: a no-change poll on a kept session makes none.</summary>
    public long Logins => factory.Logins;

    /// <summary>Keeps the session of a good pass for the mailbox's poll at <paramref name="nextUse"/>, if it is worth a place.</summary>
    internal void Return(ImapSession session, DateTimeOffset nextUse)
    {
        passes.Release();
        IReadOnlyList<KeptSession> closed;
        lock (gate)
        {
            closed = session.Client.IsConnected
                ? kept.Keep(session.Mailbox, new KeptSession(session.Fingerprint, session.Client), nextUse, clock.Now)
                : [new KeptSession(session.Fingerprint, session.Client), .. kept.Expire(clock.Now)];
        }
        foreach (var gone in closed) gone.Client.Dispose(); // without waiting for the server: a LOGOUT is a round trip per eviction
    }

    internal void Discard(ImapSession session)
    {
        session.Client.Dispose();
        passes.Release();
    }

    public void Dispose()
    {
        List<KeptSession> all;
        lock (gate) all = kept.Clear();
        foreach (var session in all) session.Client.Dispose();
        passes.Dispose();
    }

    private static string Fingerprint(MailboxCredentials c) => Convert.ToHexString(SHA256.HashData(
        Encoding.UTF8.GetBytes(string.Join('\n', c.Provider, c.Imap.Host, c.Imap.Port, c.Imap.Security, c.Username, c.Secret))));

    private sealed record KeptSession(string Fingerprint, ImapClient Client);
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

    internal ImapSession(ImapSessionPool pool, MailboxKey mailbox, string fingerprint, ImapClient client, IDisposable share, bool reused)
    {
        this.pool = pool;
        this.share = share;
        Mailbox = mailbox;
        Fingerprint = fingerprint;
        Client = client;
        Reused = reused;
    }

    public ImapClient Client { get; }

    /// <summary>True when the session was kept from an earlier pass (the server may have dropped it since).</summary>
    public bool Reused { get; }

    internal MailboxKey Mailbox { get; }

    internal string Fingerprint { get; }

    /// <summary>Keeps the session for the mailbox's next poll, expected at <paramref name="nextUse"/>.</summary>
    public void Return(DateTimeOffset nextUse)
    {
        if (done) return;
        done = true;
        share.Dispose();
        pool.Return(this, nextUse);
    }

    public void Dispose()
    {
        if (done) return;
        done = true;
        share.Dispose();
        pool.Discard(this);
    }
}
