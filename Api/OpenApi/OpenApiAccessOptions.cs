namespace MailSync.Api.OpenApi;

/// <summary>Configuration section <c>OpenApi</c>: who may read <c>/openapi/v1.json</c>.</summary>
public sealed class OpenApiAccessOptions
{
    public const string Section = "OpenApi";

    /// <summary>
    /// Whether the document needs the operator's token or <c>Metrics:Key</c>; unset means yes outside Development and no
    /// in Development (where the Scalar reference reads it).
    /// </summary>
    public bool? RequireAuthorization { get; set; }

    public bool RequiresAuthorization(IHostEnvironment environment) => RequireAuthorization ?? !environment.IsDevelopment();
}
