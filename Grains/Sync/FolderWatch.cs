using MailKit;
using MailKit.Net.Imap;
using Microsoft.Extensions.Logging;

namespace MailSync.Grains.Sync;

/// <summary>
/// A kept session watching the folder where new mail arrives (INBOX, or Gmail's All Mail, which also holds mail sent from
/// any Gmail client) with IMAP IDLE until its mailbox's next pass takes it back: when the server announces new mail, the
/// mailbox is told to poll now. The IDLE is re-issued every refresh interval; the pass ends it with DONE
/// (<see cref="StopAsync"/>), so the connection is reused, not reopened. A failed watch leaves a dead session behind,
/// which the next pass replaces with a fresh login.
/// </summary>
internal sealed class FolderWatch
{
    private readonly ImapClient client;
    private readonly CancellationTokenSource stop = new();
    private readonly CancellationTokenSource abort = new();
    private readonly Task loop;
    private volatile bool failed;

    private FolderWatch(
        ImapClient client, IMailFolder folder, uint? knownUidNext, Func<Task> mailArrived, TimeSpan refresh, TimeProvider time,
        ILogger logger, Action ended)
    {
        this.client = client;
        // Off the caller's turn: the pass returning the session must not wait for the EXAMINE.
        loop = Task.Run(() => RunAsync(folder, knownUidNext, mailArrived, refresh, time, logger, ended));
    }

    /// <summary>
    /// Starts watching <paramref name="folder"/>, if the server supports IDLE; null otherwise. <paramref name="knownUidNext"/>:
    /// the folder's UIDNEXT as the last pass saw it, so mail arriving between that pass and the IDLE is announced too.
    /// </summary>
    public static FolderWatch? Start(
        ImapClient client, IMailFolder folder, uint? knownUidNext, Func<Task> mailArrived, TimeSpan refresh, TimeProvider time,
        ILogger logger, Action ended) =>
        client.Capabilities.HasFlag(ImapCapabilities.Idle)
            ? new FolderWatch(client, folder, knownUidNext, mailArrived, refresh, time, logger, ended)
            : null;

    /// <summary>
    /// The IDLE command is running: the server reports new mail from now on. Mail that lands between the EXAMINE and the
    /// IDLE is told by the server as the IDLE begins, or, by Dovecot on maildir, only at the next change or poll.
    /// </summary>
    public bool Idling => client.IsIdle;

    /// <summary>
    /// Ends the IDLE so a pass can use the session; true when the session is still usable. A server that does not
    /// acknowledge DONE within <paramref name="imapTimeout"/> loses the connection.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan imapTimeout)
    {
        stop.Cancel();
        abort.CancelAfter(imapTimeout);
        await loop;
        return !failed && client.IsConnected;
    }

    /// <summary>Drops the watch and its connection without a word to the server (eviction, shutdown).</summary>
    public void Abort()
    {
        stop.Cancel();
        abort.Cancel();
        _ = loop.ContinueWith(_ => client.Dispose(), TaskScheduler.Default);
    }

    private async Task RunAsync(
        IMailFolder inbox, uint? knownUidNext, Func<Task> mailArrived, TimeSpan refresh, TimeProvider time, ILogger logger, Action ended)
    {
        var timeout = client.Timeout;
        try
        {
            await inbox.OpenAsync(FolderAccess.ReadOnly, abort.Token);
            var seen = inbox.Count;
            if (knownUidNext is { } known && inbox.UidNext?.Id > known) await TellAsync(mailArrived, logger);
            // MailKit's read timeout covers IDLE too: a server silent until the refresh is not a dead one.
            client.Timeout = (int)Math.Min(int.MaxValue, (refresh + TimeSpan.FromMilliseconds(timeout)).TotalMilliseconds);
            while (!stop.IsCancellationRequested)
            {
                using var due = new CancellationTokenSource(refresh, time);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, due.Token);
                var arrived = false;
                void OnCountChanged(object? sender, EventArgs e)
                {
                    if (inbox.Count <= seen) return; // an expunge
                    arrived = true;
                    done.Cancel();
                }
                inbox.CountChanged += OnCountChanged;
                try
                {
                    await client.IdleAsync(done.Token, abort.Token);
                }
                finally
                {
                    inbox.CountChanged -= OnCountChanged;
                }
                seen = inbox.Count;
                if (arrived) await TellAsync(mailArrived, logger);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failed = true;
            logger.LogDebug("IDLE watch ended: {Fault}", e.GetType().Name);
        }
        finally
        {
            client.Timeout = timeout;
            ended();
        }
    }

    private static async Task TellAsync(Func<Task> mailArrived, ILogger logger)
    {
        try
        {
            await mailArrived();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The next poll finds the mail anyway.
            logger.LogDebug("New mail seen by IDLE not announced: {Fault}", e.GetType().Name);
        }
    }
}
