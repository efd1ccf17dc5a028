using MailSync.Api.Auth;
using MailSync.Api.Mailboxes;
using MailSync.Api.OpenApi;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Time;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSync.Api.Companies;

public static class CompanyEndpoints
{
    public const int MaxMailboxSyncLimit = 100_000;

    /// <summary>Users on the overview's first page; the rest through <c>/mail-sync/users</c>.</summary>
    public const int OverviewUsers = 100;

    public static void MapCompanyEndpoints(this RouteGroupBuilder v1)
    {
        var companies = v1.MapGroup("/companies/{companyId}").WithTags(ApiTags.Companies);
        companies.MapPut("", PutCompany).WithName("putCompany").RequireAccess(AccessRule.Operator, companyMustExist: false)
            .WithSummary("Create or update a company: name and mailbox sync limit (operator).");
        companies.MapGet("/mail-sync", GetOverview).WithName("getMailSyncOverview").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Limit, seats used, the Pending queue in order, and every user's mailbox status.");
        companies.MapGet("/mail-sync/users", GetUsers).WithName("listCompanyUsers").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Every user with their mailbox status, paged (limit 1-500, continuation), optionally of one status.");
        companies.MapGet("/mail-sync/errors", GetCompanyErrors).WithName("listCompanyErrors").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("The company's error log: every user's errors, newest first.");
        companies.MapPut("/users/{userId}", PutUser).WithName("putCompanyUser").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Register or update a user: email and role.");
        companies.MapGet("/billing", GetBilling).WithName("getBilling").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Billable mailbox time per user over [from, to).");
        companies.MapGet("/secret-keys", GetSecretKeys).WithName("getSecretKeys").RequireAccess(AccessRule.Operator)
            .WithSummary("How many stored mailbox secrets each encryption key sealed (operator); "
                + "the cluster's count is the sum over companies.");
    }

    private static async Task<Results<Ok<CompanyResponse>, Created<CompanyResponse>, ValidationProblem>> PutCompany(
        string companyId, CompanyRequest? body, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (errors.Body(body)?.Validate(errors) is not { } command) return errors.Problem();

        var (profile, created) = await cluster.GetGrain<ICompanyGrain>(companyId)
            .Upsert(command.Name, command.MailboxSyncLimit, command.OtherMailAccounts);
        var response = CompanyResponse.From(profile);
        return created ? TypedResults.Created($"/v1/companies/{companyId}", response) : TypedResults.Ok(response);
    }

    private static async Task<Ok<OverviewResponse>> GetOverview(string companyId, IClusterClient cluster)
    {
        var overview = cluster.GetGrain<ICompanyGrain>(companyId).GetOverview();
        var users = await Directory(cluster, companyId).GetUsers(OverviewUsers, null, null);
        var seats = await overview;
        return TypedResults.Ok(new OverviewResponse(
            seats.MailboxSyncLimit, seats.SeatsUsed, seats.Pending, seats.PendingCount,
            [.. users.Items.Select(MailboxResponse.From)], users.Next));
    }

    private static async Task<Results<Ok<UsersResponse>, ValidationProblem>> GetUsers(
        string companyId, string? limit, string? continuation, string? status, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        var count = Query.Limit(errors, limit, 500, OverviewUsers);
        // An empty parameter is the same as none: clients that always append "continuation=" + next still work.
        if (string.IsNullOrEmpty(continuation)) continuation = null;
        var filter = string.IsNullOrEmpty(status) ? null : errors.OneOf("status", status, Enum.GetNames<MailboxStatus>());
        if (continuation is { Length: > 2048 }) errors.Add("continuation", "is not valid for this list.");
        if (errors.Any) return errors.Problem();
        try
        {
            var page = await Directory(cluster, companyId).GetUsers(
                count, continuation, filter is null ? null : Enum.Parse<MailboxStatus>(filter));
            return TypedResults.Ok(new UsersResponse([.. page.Items.Select(MailboxResponse.From)], page.Next));
        }
        catch (ArgumentException)
        {
            return RequestErrors.Problem("continuation", "is not valid for this list.");
        }
    }

    private static async Task<Results<Ok<ItemsResponse<ErrorEntryResponse>>, ValidationProblem>> GetCompanyErrors(
        string companyId, string? limit, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        var count = Query.Limit(errors, limit, 500, 100);
        if (errors.Any) return errors.Problem();

        var entries = await Directory(cluster, companyId).GetErrors(count);
        return TypedResults.Ok(new ItemsResponse<ErrorEntryResponse>([.. entries.Select(e => ErrorEntryResponse.From(e.Error, e.UserId))]));
    }

    private static async Task<Results<Ok<UserResponse>, Created<UserResponse>, ValidationProblem>> PutUser(
        string companyId, string userId, UserRequest? body, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (errors.Body(body)?.Validate(errors, userId) is not { } command) return errors.Problem();

        var (user, created) = await Directory(cluster, companyId).UpsertUser(command);
        var response = new UserResponse(user.UserId, user.Email, user.Role);
        return created ? TypedResults.Created($"/v1/companies/{companyId}/users/{userId}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<BillingResponse>, ValidationProblem>> GetBilling(
        string companyId, string? from, string? to, IClusterClient cluster, MailSyncClock clock)
    {
        var errors = new RequestErrors();
        if (BillingPeriod.Parse(errors, from, to, clock.Now) is not { } period) return errors.Problem();

        var users = await Directory(cluster, companyId).GetBilling(period.From, period.To);
        return TypedResults.Ok(new BillingResponse(period.From, period.To,
            [.. users.Select(u => new BillingUser(u.UserId, u.BillableSeconds))], users.Sum(u => u.BillableSeconds)));
    }

    private static async Task<Ok<SecretKeysResponse>> GetSecretKeys(string companyId, IClusterClient cluster)
    {
        var keys = await Directory(cluster, companyId).GetSecretKeys();
        return TypedResults.Ok(new SecretKeysResponse([.. keys.Select(k => new SecretKeyResponse(k.KeyId, k.Secrets))]));
    }

    private static ICompanyDirectoryGrain Directory(IClusterClient cluster, string companyId) =>
        cluster.GetGrain<ICompanyDirectoryGrain>(companyId);
}
