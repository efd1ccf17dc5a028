using MailSync.Api.Auth;
using MailSync.Api.OpenApi;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.NeverLog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSync.Api.NeverLog;

/// <summary>
/// Never-log lists: the company's (administrators) and each user's own (for their mailbox), and the internal-mail rule.
/// Adding an entry also removes what was already recorded with it, in the background (see the list's <c>removal</c>).
/// </summary>
public static class NeverLogEndpoints
{
    private const string ValueRule =
        "must be an email address (ann@example.com) or a domain (example.com), at most 254 characters.";

    public static void MapNeverLogEndpoints(this RouteGroupBuilder v1)
    {
        var company = v1.MapGroup("/companies/{companyId}/never-log").WithTags(ApiTags.NeverLog);
        company.MapGet("", (string companyId, IClusterClient cluster) => ListAsync(cluster, companyId, null))
            .WithName("listNeverLog").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("The company's never-log list: addresses and domains whose emails no mailbox of the company records.");
        company.MapPost("", (string companyId, NeverLogRequest? body, IClusterClient cluster) => AddAsync(cluster, companyId, null, body))
            .WithName("addNeverLog").RequireAccess(AccessRule.CompanyAdmin)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Never record emails with this address or domain again, and remove those already on timelines.");
        company.MapDelete("/{value}", (string companyId, string value, IClusterClient cluster) =>
                RemoveAsync(cluster, companyId, null, value))
            .WithName("removeNeverLog").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Record emails with this address or domain again from now on (what was removed is not brought back).");

        var user = v1.MapGroup("/companies/{companyId}/users/{userId}/never-log").WithTags(ApiTags.NeverLog);
        user.MapGet("", (string companyId, string userId, IClusterClient cluster) => ListAsync(cluster, companyId, userId))
            .WithName("listUserNeverLog").RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("The user's own never-log list: addresses and domains whose emails their mailbox never records.");
        user.MapPost("", (string companyId, string userId, NeverLogRequest? body, IClusterClient cluster) =>
                AddAsync(cluster, companyId, userId, body))
            .WithName("addUserNeverLog").RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Never record this address's or domain's emails from the user's mailbox, and remove those it recorded.");
        user.MapDelete("/{value}", (string companyId, string userId, string value, IClusterClient cluster) =>
                RemoveAsync(cluster, companyId, userId, value))
            .WithName("removeUserNeverLog").RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("Record this address's or domain's emails from the user's mailbox again from now on.");

        var internalMail = v1.MapGroup("/companies/{companyId}/internal-mail").WithTags(ApiTags.NeverLog);
        internalMail.MapGet("", GetInternalAsync).WithName("getInternalMail").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("The company's own domains, whose addresses are never matched as leads, and whether that is off.");
        internalMail.MapPut("", PutInternalAsync).WithName("putInternalMail").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary($"Set the company's own domains (at most {InternalMail.MaxDomains}) and whether colleagues' emails are logged.");
    }

    private static async Task<Ok<NeverLogResponse>> ListAsync(IClusterClient cluster, string companyId, string? userId)
    {
        var grain = cluster.GetGrain<INeverLogGrain>(companyId);
        var entries = await grain.List(userId);
        var removal = await grain.GetRemoval();
        return TypedResults.Ok(new NeverLogResponse(
            [.. entries.Select(Item)],
            new NeverLogRemovalResponse(removal.EntriesWaiting, removal.TimelineEntriesRemoved, removal.FinishedAt)));
    }

    private static async Task<Results<Created<NeverLogItem>, Ok<NeverLogItem>, ValidationProblem, ProblemHttpResult>> AddAsync(
        IClusterClient cluster, string companyId, string? userId, NeverLogRequest? body)
    {
        var errors = new RequestErrors();
        if (errors.Body(body) is null) return errors.Problem();
        if (NeverLogValue.Normalize(body!.Value) is not { } value) return RequestErrors.Problem("value", ValueRule);

        var grain = cluster.GetGrain<INeverLogGrain>(companyId);
        var location = userId is null
            ? $"/v1/companies/{companyId}/never-log/{Uri.EscapeDataString(value)}"
            : $"/v1/companies/{companyId}/users/{userId}/never-log/{Uri.EscapeDataString(value)}";
        var added = await grain.Add(userId, value);
        switch (added.Outcome)
        {
            case NeverLogAdded.ListFull:
                return RequestErrors.Problem("value",
                    $"cannot be added: the list already holds {NeverLogValue.MaxEntries} entries, the most it may; nothing was changed.");
            case NeverLogAdded.RemovalsBacklogged:
                return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many removals in progress",
                    detail: "Emails of earlier never-log entries are still being removed; nothing was changed. "
                        + "Try again in a few minutes.");
            case NeverLogAdded.AlreadyListed:
                return TypedResults.Ok(Item(added.Entry!));
            default:
                return TypedResults.Created(location, Item(added.Entry!));
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        IClusterClient cluster, string companyId, string? userId, string value) =>
        await cluster.GetGrain<INeverLogGrain>(companyId).Remove(userId, value)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"'{value}' is not on the never-log list.");

    private static async Task<Ok<InternalMailResponse>> GetInternalAsync(string companyId, IClusterClient cluster)
    {
        var settings = await cluster.GetGrain<INeverLogGrain>(companyId).GetInternalMail();
        return TypedResults.Ok(new InternalMailResponse(settings.Domains, settings.LogInternalEmails));
    }

    private static async Task<Results<Ok<InternalMailResponse>, ValidationProblem>> PutInternalAsync(
        string companyId, InternalMailRequest? body, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (errors.Body(body) is null) return errors.Problem();
        var domains = new List<string>();
        if (body!.Domains is { Count: > InternalMail.MaxDomains })
        {
            errors.Add("domains", $"must list at most {InternalMail.MaxDomains} domains.");
        }
        else
        {
            for (var i = 0; i < (body.Domains?.Count ?? 0); i++)
            {
                // A domain, not an address: "@acme.com" is accepted as acme.com, "ann@acme.com" is not.
                var name = body.Domains![i]?.Trim().TrimStart('@');
                if (name is not null && !name.Contains('@', StringComparison.Ordinal) && NeverLogValue.Domain(name) is { } domain)
                    domains.Add(domain);
                else errors.Add($"domains[{i}]", "must be a domain such as example.com.");
            }
        }
        if (body.LogInternalEmails is null) errors.Add("logInternalEmails", "is required: true or false.");
        if (errors.Any) return errors.Problem();

        var settings = new InternalMail([.. domains.Distinct(StringComparer.Ordinal)], body.LogInternalEmails!.Value);
        await cluster.GetGrain<INeverLogGrain>(companyId).SetInternalMail(settings);
        return TypedResults.Ok(new InternalMailResponse(settings.Domains, settings.LogInternalEmails));
    }

    private static NeverLogItem Item(NeverLogEntry entry) => new(entry.Value, entry.IsDomain ? "domain" : "address", entry.AddedAt);
}
