namespace MailSync.Grains.Mailboxes;

/// <summary>
/// One sync pass of a mailbox grain: the credentials it syncs (a connect or disconnect replaces the grain's, which makes
/// the pass stale: its outcome and cursor commits are dropped) and how to cancel it.
/// </summary>
internal sealed class PassRun(StoredCredentials credentials, CancellationToken deactivating) : IDisposable
{
    private readonly CancellationTokenSource cancel = CancellationTokenSource.CreateLinkedTokenSource(deactivating);

    /// <summary>The credentials object the pass syncs with (replaced when its refresh token rotates); compared by reference.</summary>
    public StoredCredentials Credentials { get; set; } = credentials;

    public CancellationToken Token => cancel.Token;

    /// <summary>The connector's pass, once started.</summary>
    public Task? Syncing { get; set; }

    /// <summary>The backfill round the pass also reads the initial window for (null: none asked).</summary>
    public int? BackfillRound { get; set; }

    public Task CancelAsync() => cancel.IsCancellationRequested ? Task.CompletedTask : cancel.CancelAsync();

    public void Dispose() => cancel.Dispose();
}
