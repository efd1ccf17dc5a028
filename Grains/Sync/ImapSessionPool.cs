using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Imap;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Time;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// The silo's IMAP sockets. At most MailSync:MaxConcurrentSessionsPerSilo are open at once, busy or idle, so a silo
/// of 10,000 mailboxes never opens 10,000 sockets. A session returned after a good pass stays logged in for the
/// mailbox's next poll (a no-change poll then costs two SELECTs instead of TLS and a login); idle sessions are closed
/// after MailSync:IdleSessionTimeout, or, oldest first, when another mailbox needs the slot. Fairness: one company, and
/// one IMAP host, may run only their share of passes at once (<see cref="SessionShares"/>), so a tenant whose servers
/// hang cannot starve the others; a pass beyond its share waits for one like for a socket (holding none meanwhile).
/// </summary>
public sealed class ImapSessionPool(IOptions<MailSyncOptions> options, ImapSessionFactory factory, MailSyncClock clock) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentSessionsPerSilo);
    private readonly Lock gate = new();
    private readonly LinkedList<IdleSession> idle = new(); // oldest first
    private readonly Dictionary<MailboxKey, LinkedListNode<IdleSession>> idleByMailbox = [];
    private readonly SessionShares shares = new(options.Value);
    private int waiters;

    /// <summary>
    /// A logged-in session for <paramref name="mailbox"/>: its own idle one if still usable, else a new one; null when the
    /// mailbox's company or host already runs its share of passes, or no socket of this silo freed up within
    /// <paramref name="slotWait"/>.
    /// </summary>
    public async Task<ImapSession?> AcquireAsync(
        MailboxKey mailbox, MailboxCredentials credentials, ImapLogin login, TimeSpan slotWait, CancellationToken cancellationToken)
    {
        var share = await shares.TakeAsync(mailbox.CompanyId, credentials.Imap.Host, slotWait, clock.Time, cancellationToken);
        if (share is null) return null;
        try
        {
            var session = await AcquireSocketAsync(mailbox, credentials, login, slotWait, share, cancellationToken);
            if (session is null) share.Dispose();
            return session;
        }
        catch
        {
            share.Dispose();
            throw;
        }
    }

    private async Task<ImapSession?> AcquireSocketAsync(
        MailboxKey mailbox, MailboxCredentials credentials, ImapLogin login, TimeSpan slotWait, IDisposable share, CancellationToken cancellationToken)
    {
        var fingerprint = Fingerprint(credentials);
        var reused = TakeIdle(mailbox);
        if (reused is not null)
        {
            if (reused.Fingerprint == fingerprint && reused.Client is { IsConnected: true, IsAuthenticated: true })
                return new ImapSession(this, mailbox, fingerprint, reused.Client, share, reused: true);
            reused.Client.Dispose(); // new credentials or a dead socket: its slot carries over to the new session
        }
        else if (!await TakeSlotAsync(slotWait, cancellationToken))
        {
            return null;
        }

        try
        {
            return new ImapSession(this, mailbox, fingerprint, await factory.OpenAsync(credentials, login, cancellationToken), share, reused: false);
        }
        catch
        {
            slots.Release();
            throw;
        }
    }

    /// <summary>Sockets open now, busy or idle: never more than MailSync:MaxConcurrentSessionsPerSilo.</summary>
    public int OpenSessions => options.Value.MaxConcurrentSessionsPerSilo - slots.CurrentCount;

    /// <summary>Number of logged-in sessions kept for later polls.</summary>
    public int IdleCount
    {
        get { lock (gate) return idle.Count; }
    }

    internal void Return(ImapSession session)
    {
        CloseExpired();
        if (!session.Client.IsConnected)
        {
            Close(session.Client);
            return;
        }
        lock (gate)
        {
            if (idleByMailbox.Remove(session.Mailbox, out var stale)) // cannot happen while one pass runs per mailbox; stay safe
            {
                idle.Remove(stale);
                Close(stale.Value.Client);
            }
            idleByMailbox[session.Mailbox] = idle.AddLast(new IdleSession(session.Mailbox, session.Fingerprint, session.Client, clock.Now));
        }
        // Someone is waiting for a socket: theirs is more urgent than our next poll.
        if (Volatile.Read(ref waiters) > 0 && TakeIdle(session.Mailbox) is { } kept) Close(kept.Client);
    }

    internal void Discard(ImapSession session) => Close(session.Client);

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var session in idle) session.Client.Dispose();
            idle.Clear();
            idleByMailbox.Clear();
        }
        slots.Dispose();
    }

    private async Task<bool> TakeSlotAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        CloseExpired();
        while (!slots.Wait(0))
        {
            // Full: an idle session of another mailbox gives way before anyone waits.
            if (CloseOldestIdle()) continue;
            Interlocked.Increment(ref waiters);
            try
            {
                // Announced first, checked second: a session idled in between is seen here or closes itself in Return.
                if (CloseOldestIdle()) continue;
                return await slots.WaitAsync(wait, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref waiters);
            }
        }
        return true;
    }

    private bool CloseOldestIdle()
    {
        if (TakeOldestIdle() is not { } oldest) return false;
        Close(oldest.Client);
        return true;
    }

    private IdleSession? TakeIdle(MailboxKey mailbox)
    {
        lock (gate)
        {
            if (!idleByMailbox.Remove(mailbox, out var node)) return null;
            idle.Remove(node);
            return node.Value;
        }
    }

    private IdleSession? TakeOldestIdle()
    {
        lock (gate)
        {
            if (idle.First is not { } node) return null;
            idle.RemoveFirst();
            idleByMailbox.Remove(node.Value.Mailbox);
            return node.Value;
        }
    }

    private void CloseExpired()
    {
        var cutoff = clock.Now - options.Value.IdleSessionTimeout;
        while (true)
        {
            IdleSession expired;
            lock (gate)
            {
                if (idle.First is not { } node || node.Value.Since > cutoff) return;
                idle.RemoveFirst();
                idleByMailbox.Remove(node.Value.Mailbox);
                expired = node.Value;
            }
            Close(expired.Client);
        }
    }

    /// <summary>Closes the socket without waiting for the server, and frees its slot.</summary>
    private void Close(ImapClient client)
    {
        client.Dispose();
        slots.Release();
    }

    private static string Fingerprint(MailboxCredentials c) => Convert.ToHexString(SHA256.HashData(
        Encoding.UTF8.GetBytes(string.Join('\n', c.Provider, c.Imap.Host, c.Imap.Port, c.Imap.Security, c.Username, c.Secret))));

    private sealed record IdleSession(MailboxKey Mailbox, string Fingerprint, ImapClient Client, DateTimeOffset Since);
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

    public void Return()
    {
        if (done) return;
        done = true;
        share.Dispose();
        pool.Return(this);
    }

    public void Dispose()
    {
        if (done) return;
        done = true;
        share.Dispose();
        pool.Discard(this);
    }
}
