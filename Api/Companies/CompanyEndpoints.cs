using MailSync.Api.Auth;
using MailSync.Api.Mailboxes;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSync.Api.Companies;

public static class CompanyEndpoints
{
    public const int MaxMailboxSyncLimit = 100_000;

    public static void MapCompanyEndpoints(this RouteGroupBuilder v1)
    {
        var companies = v1.MapGroup("/companies/{companyId}").WithTags("Companies");
        companies.MapPut("", PutCompany).RequireAccess(AccessRule.Operator, companyMustExist: false)
            .WithSummary("Create or update a company: name and mailbox sync limit (operator).");
        companies.MapGet("/mail-sync", GetOverview).RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Limit, seats used, the Pending queue in order, and every user's mailbox status.");
        companies.MapGet("/mail-sync/errors", GetCompanyErrors).RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("The company's error log: every user's errors, newest first.");
        companies.MapPut("/users/{userId}", PutUser).RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Register or update a user: email and role.");
        companies.MapGet("/billing", GetBilling).RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Billable mailbox time per user over [from, to).");
    }

    private static async Task<Results<Ok<CompanyResponse>, Created<CompanyResponse>, ValidationProblem>> PutCompany(
        string companyId, CompanyRequest? body, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (errors.Body(body)?.Validate(errors) is not { } command) return errors.Problem();

        var (profile, created) = await cluster.GetGrain<ICompanyGrain>(companyId).Upsert(command.Name, command.MailboxSyncLimit);
        var response = new CompanyResponse(profile.CompanyId, profile.Name, profile.MailboxSyncLimit);
        return created ? TypedResults.Created($"/v1/companies/{companyId}", response) : TypedResults.Ok(response);
    }

    private static async Task<Ok<OverviewResponse>> GetOverview(string companyId, IClusterClient cluster)
    {
        var company = cluster.GetGrain<ICompanyGrain>(companyId);
        var overviewTask = company.GetOverview();
        var users = await company.GetUsers();
        var overview = await overviewTask;
        var userIds = users.Select(u => u.UserId).Union(overview.KnownUsers).Order(StringComparer.Ordinal).ToArray();
        var views = await Task.WhenAll(userIds.Select(user => cluster.GetMailbox(companyId, user).GetStatus()));
        var registered = users.ToDictionary(u => u.UserId);
        return TypedResults.Ok(new OverviewResponse(
            overview.MailboxSyncLimit, overview.SeatsUsed, overview.Pending,
            [.. views.Select(v => MailboxResponse.From(v.Email is null && registered.TryGetValue(v.UserId, out var u) ? v with { Email = u.Email } : v))]));
    }

    private static async Task<Results<Ok<ItemsResponse<ErrorEntryResponse>>, ValidationProblem>> GetCompanyErrors(
        string companyId, string? limit, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        var count = Query.Limit(errors, limit, 500, 100);
        if (errors.Any) return errors.Problem();

        var overview = await cluster.GetGrain<ICompanyGrain>(companyId).GetOverview();
        var logs = await Task.WhenAll(overview.KnownUsers.Select(async user =>
            (user, entries: await cluster.GetMailbox(companyId, user).GetErrors(count))));
        var merged = logs
            .SelectMany(log => log.entries.Select(e => ErrorEntryResponse.From(e, log.user)))
            .OrderByDescending(e => e.OccurredAt)
            .Take(count);
        return TypedResults.Ok(new ItemsResponse<ErrorEntryResponse>([.. merged]));
    }

    private static async Task<Results<Ok<UserResponse>, Created<UserResponse>, ValidationProblem>> PutUser(
        string companyId, string userId, UserRequest? body, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (errors.Body(body)?.Validate(errors, userId) is not { } command) return errors.Problem();

        var (user, created) = await cluster.GetGrain<ICompanyGrain>(companyId).UpsertUser(command);
        var response = new UserResponse(user.UserId, user.Email, user.Role);
        return created ? TypedResults.Created($"/v1/companies/{companyId}/users/{userId}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<BillingResponse>, ValidationProblem>> GetBilling(
        string companyId, string? from, string? to, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (BillingPeriod.Parse(errors, from, to) is not { } period) return errors.Problem();

        var users = await cluster.GetGrain<ICompanyGrain>(companyId).GetBilling(period.From, period.To);
        return TypedResults.Ok(new BillingResponse(period.From, period.To,
            [.. users.Select(u => new BillingUser(u.UserId, u.BillableSeconds))], users.Sum(u => u.BillableSeconds)));
    }
}
