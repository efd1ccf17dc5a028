using MailSync.Api.Validation;

namespace MailSync.Api.Auth;

/// <summary>
/// Runs before every company-scoped endpoint: route ids are well-formed (else 400), the caller may act on this
/// company and user (else 404 for another tenant, 403 for a role that may not), and the company exists (else 404,
/// worded exactly like another tenant's company).
/// </summary>
public sealed class CompanyAccessFilter(AccessRule rule, bool companyMustExist) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var route = http.Request.RouteValues;
        var errors = new RequestErrors();
        foreach (var key in new[] { "companyId", "userId", "leadId" })
        {
            if (route.TryGetValue(key, out var value)) errors.Id(key, value as string);
        }
        if (errors.Any) return errors.Problem();

        var companyId = (string)route["companyId"]!;
        var decision = AccessRules.Decide(Caller.From(http.User), rule, companyId, route["userId"] as string);
        if (decision == AccessDecision.Forbidden)
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Your role may not do this.");
        if (decision == AccessDecision.NotFound ||
            (companyMustExist && !await http.RequestServices.GetRequiredService<KnownCompanies>().ExistsAsync(companyId)))
        {
            return CompanyNotFound(companyId);
        }
        return await next(context);
    }

    public static IResult CompanyNotFound(string companyId) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no company '{companyId}'.");
}

public static class CompanyAccessExtensions
{
    /// <summary>Guards the endpoint with <see cref="CompanyAccessFilter"/>.</summary>
    public static RouteHandlerBuilder RequireAccess(this RouteHandlerBuilder endpoint, AccessRule rule, bool companyMustExist = true) =>
        endpoint.AddEndpointFilter(new CompanyAccessFilter(rule, companyMustExist))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
}
