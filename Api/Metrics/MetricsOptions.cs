using System.ComponentModel.DataAnnotations;

namespace MailSync.Api.Metrics;

/// <summary>
/// Configuration section <c>Metrics</c>. Framework meters cost request throughput once exported (measured: ASP.NET Core
/// hosting ~15 %, Orleans ~15 %), so they are opt-in: <c>Metrics:AdditionalMeters:0=Microsoft.AspNetCore.Hosting</c>.
/// Outside Development <c>/metrics</c> answers only the operator or a scraper holding <see cref="Key"/>.
/// </summary>
public sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    /// <summary>The shortest <see cref="Key"/> accepted.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>Meters exported at /metrics besides the service's own <c>MailSync</c> meter.</summary>
    public List<string> AdditionalMeters { get; set; } = [];

    /// <summary>
    /// Whether <c>/metrics</c> needs the operator's token or <see cref="Key"/>; unset means yes outside Development and no
    /// in Development.
    /// </summary>
    public bool? RequireAuthorization { get; set; }

    /// <summary>
    /// A key for scrapers, sent as <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Metrics-Key: &lt;key&gt;</c>; it opens
    /// <c>/metrics</c> and <c>/openapi/v1.json</c> and nothing else. Unset, only the operator's token does.
    /// </summary>
    public string? Key { get; set; }

    public bool RequiresAuthorization(IHostEnvironment environment) => RequireAuthorization ?? !environment.IsDevelopment();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Key) && Key.Length < MinimumKeyLength)
            yield return new ValidationResult($"Metrics:Key must be at least {MinimumKeyLength} characters.", [nameof(Key)]);
    }
}
