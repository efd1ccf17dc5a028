using System.Diagnostics;
using MailSync.Api.Hosting;
using MailSync.Shared.Cluster;

namespace MailSync.Api.Errors;

/// <summary>
/// While the cluster heals (a silo lost, a rolling restart) a request should not fail, nor wait on a dead gateway.
/// A request whose gateway is lost stops waiting at once. Requests that may be repeated (GET, HEAD, PUT, DELETE) then
/// run again through the gateways left, as after any transient cluster fault, within <see cref="Budget"/>; the rest
/// answer 503 with Retry-After (<see cref="TransientFaultExceptionHandler"/>).
/// </summary>
public sealed class ClusterFaultRetryFilter(GatewayLossSignal gatewayLoss, ILogger<ClusterFaultRetryFilter> logger) : IEndpointFilter
{
    /// <summary>How long a request may spend retrying: a dead silo is declared in a few seconds (Orleans:Membership).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp(); // cluster time, not the rules' clock (tests fake that one)
        var repeatable = Repeatable(context.HttpContext.Request.Method);
        var aborted = context.HttpContext.RequestAborted;
        for (var pause = FirstPause; ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxPause.Ticks)))
        {
            var lost = gatewayLoss.Current;
            try
            {
                using var either = CancellationTokenSource.CreateLinkedTokenSource(lost, aborted);
                return await next(context).AsTask().WaitAsync(either.Token);
            }
            catch (OperationCanceledException) when (lost.IsCancellationRequested && !aborted.IsCancellationRequested)
            {
                if (!repeatable || Stopwatch.GetElapsedTime(started) + pause > Budget)
                    throw new TimeoutException("The gateway this request went through was lost.");
                logger.LogDebug("Gateway lost under {Method} {Path}; running it again",
                    context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            }
            catch (Exception e) when (repeatable && TransientFaults.Is(e) && Stopwatch.GetElapsedTime(started) + pause <= Budget)
            {
                logger.LogDebug("Transient cluster fault {Fault} under {Method} {Path}; running it again",
                    e.GetType().Name, context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            }
            await Task.Delay(pause, aborted);
        }
    }

    /// <summary>Methods whose repetition changes nothing more than doing them once.</summary>
    private static bool Repeatable(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);
}
