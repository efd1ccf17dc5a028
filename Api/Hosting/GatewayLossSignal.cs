namespace MailSync.Api.Hosting;

/// <summary>
/// Fires when the cluster client loses a gateway. Orleans' client does not fail the calls it sent through that gateway:
/// they wait out the whole response timeout (30 s). A request waiting on one gives up at this signal instead.
/// In co-hosted mode there is no gateway and it never fires.
/// </summary>
public sealed class GatewayLossSignal : IClusterConnectionStatusObserver
{
    private CancellationTokenSource current = new();

    /// <summary>Cancelled at the next gateway loss after it was read.</summary>
    public CancellationToken Current => Volatile.Read(ref current).Token;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways) Fire();
    }

    public void NotifyClusterConnectionLost() => Fire();

    private void Fire()
    {
        var lost = Interlocked.Exchange(ref current, new CancellationTokenSource());
        lost.Cancel();
        lost.Dispose();
    }
}
