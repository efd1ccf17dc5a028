using System.Collections.Concurrent;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>
/// A connector the tests script per mailbox: succeed (the default), fail with a code, or block until released.
/// Records every attempt so tests can see when attempts happen.
/// </summary>
public sealed class ScriptedConnector : IMailboxConnector
{
    private readonly ConcurrentDictionary<string, Func<SyncRequest, CancellationToken, Task<SyncOutcome>>> scripts = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<SyncRequest>> attempts = new();

    public void Forget(MailboxKey mailbox)
    {
    }

    public async Task<SyncOutcome> SyncAsync(SyncRequest request, CancellationToken cancellationToken)
    {
        var key = request.Mailbox.ToString();
        attempts.GetOrAdd(key, _ => new()).Enqueue(request);
        return scripts.TryGetValue(key, out var script) ? await script(request, cancellationToken) : SyncOutcome.Success(1);
    }

    public void Succeed(MailboxKey mailbox, int messages = 1) =>
        scripts[mailbox.ToString()] = (_, _) => Task.FromResult(SyncOutcome.Success(messages));

    /// <summary>
    /// Attempts of <paramref name="mailbox"/> answer with what <paramref name="script"/> returns for their request (and
    /// the pass's cancellation).
    /// </summary>
    public void Script(MailboxKey mailbox, Func<SyncRequest, CancellationToken, Task<SyncOutcome>> script) =>
        scripts[mailbox.ToString()] = script;

    public void Fail(MailboxKey mailbox, MailboxErrorCode code, string detail = "scripted failure") =>
        scripts[mailbox.ToString()] = (_, _) => Task.FromResult(SyncOutcome.Failure(code, detail));

    /// <summary>Attempts block until the returned source is completed.</summary>
    public TaskCompletionSource<SyncOutcome> Block(MailboxKey mailbox)
    {
        var gate = new TaskCompletionSource<SyncOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        scripts[mailbox.ToString()] = (_, _) => gate.Task;
        return gate;
    }

    public IReadOnlyList<SyncRequest> Attempts(MailboxKey mailbox) =>
        attempts.TryGetValue(mailbox.ToString(), out var queue) ? [.. queue] : [];
}
