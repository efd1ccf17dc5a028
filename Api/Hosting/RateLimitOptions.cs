using System.ComponentModel.DataAnnotations;

namespace MailSync.Api.Hosting;

/// <summary>
/// Configuration section <c>RateLimits</c>: token buckets on the v1 API, one per caller (the token's company and user, or
/// the client's address without a token) and one per company, so one tenant or one script cannot take the API from the
/// rest. A request over either gets 429 with Retry-After.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Requests a second one caller may make on average.</summary>
    [Range(1, 1_000_000)]
    public int PerCallerPerSecond { get; set; } = 50;

    /// <summary>Requests one caller may make at once after a quiet while.</summary>
    [Range(1, 10_000_000)]
    public int PerCallerBurst { get; set; } = 100;

    /// <summary>Requests a second all callers of one company may make on average.</summary>
    [Range(1, 1_000_000)]
    public int PerCompanyPerSecond { get; set; } = 500;

    /// <summary>Requests all callers of one company may make at once after a quiet while.</summary>
    [Range(1, 10_000_000)]
    public int PerCompanyBurst { get; set; } = 1000;
}
