using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Auth;

/// <summary>
/// Who may read the operations endpoints (<c>/metrics</c>, <c>/openapi/v1.json</c>) where they are protected: the operator
/// (a JWT with scope <c>mailsync.operator</c> that passes <see cref="Caller.IsOperatorToken"/>) or a scraper holding
/// <c>Metrics:Key</c>. Anyone else gets 401 (no or a bad credential) or 403 (a valid token of a company user), as problem details.
/// </summary>
public static class OperationsAccess
{
    public const string Policy = "mailsync.operations";

    /// <summary>The operator's JWT alone (the Orleans Dashboard shows grain state and live logs: no scraper key opens it).</summary>
    public const string OperatorPolicy = "mailsync.operator";

    public static WebApplicationBuilder AddOperationsAccess(this WebApplicationBuilder builder, string? metricsKey)
    {
        builder.Services.AddAuthentication()
            .AddScheme<MetricsKeyOptions, MetricsKeyHandler>(MetricsKeyHandler.SchemeName, o => o.Key = metricsKey);
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme, MetricsKeyHandler.SchemeName)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => IsOperator(context)
                || context.User.HasClaim(c => c.Type == "scope" && c.Value == MetricsKeyHandler.Scope)))
            .AddPolicy(OperatorPolicy, policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireAssertion(IsOperator));
        return builder;
    }

    /// <summary>The operator rule of <see cref="Caller.IsOperatorToken"/>; the resource is the request under endpoint routing.</summary>
    private static bool IsOperator(AuthorizationHandlerContext context) =>
        context.Resource is HttpContext http
        && Caller.IsOperatorToken(context.User, http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value);

    /// <summary>Puts the endpoint behind <see cref="Policy"/> when <paramref name="required"/>; otherwise leaves it open.</summary>
    public static TBuilder RequireOperationsAccess<TBuilder>(this TBuilder endpoint, bool required)
        where TBuilder : IEndpointConventionBuilder => required ? endpoint.RequireAuthorization(Policy) : endpoint;

    /// <summary>Puts the endpoint behind <see cref="OperatorPolicy"/> when <paramref name="required"/>; otherwise leaves it open.</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder endpoint, bool required)
        where TBuilder : IEndpointConventionBuilder => required ? endpoint.RequireAuthorization(OperatorPolicy) : endpoint;
}
