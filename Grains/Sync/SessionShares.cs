using MailSync.Shared.Configuration;

namespace MailSync.Grains.Sync;

/// <summary>
/// How many passes each company and each IMAP host runs at once on this silo, against their caps
/// (MailSync:MaxConcurrentSessionsPerCompany and PerHost). A share is held while a pass talks to its server, not while
/// its last storage writes finish. An eighth of each cap is kept for passes an IDLE announcement started: new mail a
/// user waits to see never queues behind a company's routine polls, which may fill the rest when its server slows down.
/// </summary>
public sealed class SessionShares(MailSyncOptions options)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, int> byCompany = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> byHost = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> uncappedHosts = new(options.HostsWithoutSessionCap, StringComparer.OrdinalIgnoreCase);
    private TaskCompletionSource released = NewSignal();

    /// <summary>
    /// A share for one pass, released by disposing it; null when the company or the host is at its cap (for a poll, at its
    /// cap less the part kept for <paramref name="pushed"/> passes).
    /// </summary>
    public IDisposable? TryTake(string companyId, string host, bool pushed = false)
    {
        lock (gate) return TryTakeLocked(companyId, host, pushed);
    }

    /// <summary>Like <see cref="TryTake"/>, waiting up to <paramref name="wait"/> for another pass to end.</summary>
    public async Task<IDisposable?> TakeAsync(
        string companyId, string host, bool pushed, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            Task signal;
            lock (gate)
            {
                if (TryTakeLocked(companyId, host, pushed) is { } share) return share;
                signal = released.Task;
            }
            var left = wait - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return null;
            try
            {
                await signal.WaitAsync(left, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
    }

    private Share? TryTakeLocked(string companyId, string host, bool pushed)
    {
        var hostCapped = !uncappedHosts.Contains(host);
        if (byCompany.GetValueOrDefault(companyId) >= Cap(options.CompanySessionCap, pushed)) return null;
        if (hostCapped && byHost.GetValueOrDefault(host) >= Cap(options.HostSessionCap, pushed)) return null;
        byCompany[companyId] = byCompany.GetValueOrDefault(companyId) + 1;
        if (hostCapped) byHost[host] = byHost.GetValueOrDefault(host) + 1;
        return new Share(this, companyId, hostCapped ? host : null);
    }

    /// <summary>Polls leave an eighth of a cap (none of a cap under 8) to pushed passes.</summary>
    private static int Cap(int cap, bool pushed) => pushed ? cap : cap - cap / 8;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Passes the company runs now on this silo.</summary>
    public int Running(string companyId)
    {
        lock (gate) return byCompany.GetValueOrDefault(companyId);
    }

    private void Release(string companyId, string? host)
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            Decrement(byCompany, companyId);
            if (host is not null) Decrement(byHost, host);
            (signal, released) = (released, NewSignal());
        }
        signal.TrySetResult(); // every waiter looks again
    }

    private static void Decrement(Dictionary<string, int> counts, string key)
    {
        if (counts[key] > 1) counts[key]--;
        else counts.Remove(key); // no entry per idle company or host: the maps stay as small as what runs
    }

    private sealed class Share(SessionShares owner, string companyId, string? host) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) owner.Release(companyId, host);
        }
    }
}
