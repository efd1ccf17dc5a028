using System.Threading.RateLimiting;
using MailSync.Api.Validation;
using MailSync.Shared.Configuration;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Hosting;

/// <summary>
/// ASP.NET Core's rate limiter on the v1 API: a token bucket per caller chained with one per company (see
/// <see cref="RateLimitOptions"/>). Health, metrics and the settings page's files are not limited.
/// </summary>
public static class ApiRateLimits
{
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.Section);
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, configured) =>
        {
            var limits = configured.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsApi(http)
                    ? Bucket("caller:" + CallerKey(http), limits.PerCallerPerSecond, limits.PerCallerBurst)
                    : RateLimitPartition.GetNoLimiter("")),
                PartitionedRateLimiter.Create<HttpContext, string>(http => IsApi(http) && http.GetRouteValue("companyId") is string company
                    ? Bucket("company:" + company, limits.PerCompanyPerSecond, limits.PerCompanyBurst)
                    : RateLimitPartition.GetNoLimiter("")));
            limiter.OnRejected = RejectAsync;
        });
        return services;
    }

    private static bool IsApi(HttpContext http) => http.Request.Path.StartsWithSegments("/v1");

    /// <summary>The token's company and user (or the operator), else the client's address: a forged token counts as none.</summary>
    private static string CallerKey(HttpContext http)
    {
        var user = http.User;
        if (user.Identity?.IsAuthenticated == true)
            return $"{user.FindFirst("company")?.Value}/{user.FindFirst("sub")?.Value}";
        return http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
    }

    private static RateLimitPartition<string> Bucket(string key, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>429 problem details with Retry-After (whole seconds, at least 1); nothing of the request ran.</summary>
    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var seconds = RetryAfter.Set(http.Response,
            context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.Zero);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Too many requests from this caller or this company; try again in {seconds} seconds.",
            },
        });
    }
}
