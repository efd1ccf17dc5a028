using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Companies;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Auth;

/// <summary>
/// Runs before every company-scoped endpoint: route ids are well-formed (else 400), the caller may act on this
/// company and user (else 404 for another tenant, 403 for a role that may not), and the company exists (else 404,
/// worded exactly like another tenant's company).
/// </summary>
public sealed class CompanyAccessFilter(AccessRule rule, bool companyMustExist, bool onBehalfNeedsRegisteredUser) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var route = http.Request.RouteValues;
        var errors = new RequestErrors();
        foreach (var key in new[] { "companyId", "userId", "leadId", "webhookId" })
        {
            if (route.TryGetValue(key, out var value)) errors.Id(key, value as string);
        }
        if (errors.Any) return errors.Problem();

        var companyId = (string)route["companyId"]!;
        var userId = route["userId"] as string;
        var caller = Caller.From(http.User, http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value);
        var decision = AccessRules.Decide(caller, rule, companyId, userId);
        if (decision == AccessDecision.Forbidden)
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Your role may not do this.");
        if (decision == AccessDecision.NotFound ||
            (companyMustExist && !await http.RequestServices.GetRequiredService<KnownCompanies>().ExistsAsync(companyId)))
        {
            return CompanyNotFound(companyId);
        }
        // Connecting for someone else must name a registered user: a typo must not create a mailbox that takes a paid seat.
        if (onBehalfNeedsRegisteredUser && userId is not null && caller.UserId != userId &&
            await http.RequestServices.GetRequiredService<IClusterClient>().GetGrain<ICompanyDirectoryGrain>(companyId)
                .GetUser(userId) is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found",
                detail: $"There is no user '{userId}' in this company: register the user first "
                    + $"(PUT /v1/companies/{companyId}/users/{userId}).");
        }
        return await next(context);
    }

    public static IResult CompanyNotFound(string companyId) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no company '{companyId}'.");
}

public static class CompanyAccessExtensions
{
    /// <summary>Guards the endpoint with <see cref="CompanyAccessFilter"/>.</summary>
    public static RouteHandlerBuilder RequireAccess(
        this RouteHandlerBuilder endpoint, AccessRule rule, bool companyMustExist = true, bool onBehalfNeedsRegisteredUser = false) =>
        endpoint.AddEndpointFilter(new CompanyAccessFilter(rule, companyMustExist, onBehalfNeedsRegisteredUser))
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
}
