using MailSync.Shared.Cluster;
using Microsoft.AspNetCore.Diagnostics;

namespace MailSync.Api.Errors;

/// <summary>
/// A cluster or storage fault that passes on its own (a silo lost, a grain call timing out, storage unavailable) answers
/// 503 problem details with Retry-After, so clients retry instead of treating it as a bug; nothing internal is shown.
/// </summary>
public sealed class TransientFaultExceptionHandler(
    IProblemDetailsService problems, ILogger<TransientFaultExceptionHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (!TransientFaults.Is(exception)) return false;
        logger.LogWarning("Transient cluster fault answered 503: {Fault}", exception.GetType().Name);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The service is briefly unavailable.",
                Detail = $"Retry the request in {RetryAfterSeconds} seconds.",
            },
        });
    }
}
