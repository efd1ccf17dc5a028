using MailSync.Grains.Mailboxes;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>Caps concurrent IMAP sessions per silo (MailSync:MaxConcurrentSessionsPerSilo), so 10,000 mailboxes do not open 10,000 sockets.</summary>
public sealed class ImapSessionLimiter(IOptions<MailSyncOptions> options) : IDisposable
{
    private readonly SemaphoreSlim slots = new(options.Value.MaxConcurrentSessionsPerSilo);

    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        return new Slot(slots);
    }

    public void Dispose() => slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) slots.Release();
        }
    }
}
