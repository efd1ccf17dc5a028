using MailSync.Api.Auth;
using MailSync.Api.OpenApi;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Timeline;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MailSync.Api.Leads;

public static class LeadEndpoints
{
    public const int MaxBulkLeads = 500;
    public const int MaxNameLength = 200;

    private static readonly string FullAddress =
        $"already belongs to {LeadUpsertResult.MaxLeadsPerAddress} leads, the most one address may have; nothing was changed.";

    public static void MapLeadEndpoints(this RouteGroupBuilder v1)
    {
        var leads = v1.MapGroup("/companies/{companyId}/leads").WithTags(ApiTags.Leads);
        leads.MapPut("/{leadId}", PutLead).WithName("putLead").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Create or update a lead: email, name.");
        leads.MapPost("", PostLeads).WithName("upsertLeads").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary($"Create or update up to {MaxBulkLeads} leads at once.");
        leads.MapDelete("/{leadId}", DeleteLead).WithName("deleteLead").RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Remove a lead; emails already on its timeline stay readable until the lead is added again.");
        v1.MapGet("/companies/{companyId}/lead-backfill", GetBackfill).WithTags(ApiTags.Leads).WithName("getLeadBackfill")
            .RequireAccess(AccessRule.CompanyAdmin)
            .WithSummary("Progress of bringing past emails to new leads: the last round, its mailboxes done, leads waiting.");
        leads.MapGet("/{leadId}/emails", GetTimeline).WithName("listLeadEmails").RequireAccess(AccessRule.CompanyMember)
            .WithSummary("The lead's timeline: every email with the lead, newest first, paged.");
    }

    private static async Task<Results<Ok<LeadResponse>, Created<LeadResponse>, ValidationProblem>> PutLead(
        string companyId, string leadId, LeadRequest? body, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (errors.Body(body)?.Validate(errors, leadId) is not { } lead) return errors.Problem();

        var result = await cluster.GetGrain<ILeadDirectoryGrain>(companyId).Upsert([lead]);
        if (result.FullEmails.Count > 0) return RequestErrors.Problem("email", FullAddress);
        var created = result.Created[0];
        var response = new LeadResponse(lead.LeadId, lead.Email, lead.Name);
        return created ? TypedResults.Created($"/v1/companies/{companyId}/leads/{leadId}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteLead(string companyId, string leadId, IClusterClient cluster) =>
        await cluster.GetGrain<ILeadDirectoryGrain>(companyId).Remove(leadId)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no lead '{leadId}'.");

    private static async Task<Results<Ok<ItemsResponse<LeadResponse>>, ValidationProblem>> PostLeads(
        string companyId, BulkLeadsRequest? body, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (errors.Body(body) is null) return errors.Problem();
        if (body?.Items is not { Count: > 0 and <= MaxBulkLeads } items)
        {
            errors.Add("items", $"must list 1 to {MaxBulkLeads} leads.");
            return errors.Problem();
        }
        var leads = new List<Lead>();
        for (var i = 0; i < items.Count; i++)
        {
            var leadId = errors.Id($"items[{i}].leadId", items[i]?.LeadId);
            var email = errors.Email($"items[{i}].email", items[i]?.Email);
            var name = errors.Text($"items[{i}].name", items[i]?.Name, MaxNameLength, required: false);
            if (leadId is not null && email is not null) leads.Add(new Lead(leadId, email, name));
        }
        foreach (var duplicate in leads.GroupBy(l => l.LeadId).Where(g => g.Count() > 1))
            errors.Add("items", $"lists lead '{duplicate.Key}' more than once.");
        if (errors.Any) return errors.Problem();

        var result = await cluster.GetGrain<ILeadDirectoryGrain>(companyId).Upsert(leads);
        if (result.FullEmails.Count > 0)
        {
            var full = result.FullEmails.ToHashSet(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < items.Count; i++)
                if (items[i]?.Email?.Trim() is { } email && full.Contains(email)) errors.Add($"items[{i}].email", FullAddress);
            return errors.Problem();
        }
        return TypedResults.Ok(new ItemsResponse<LeadResponse>([.. leads.Select(l => new LeadResponse(l.LeadId, l.Email, l.Name))]));
    }

    private static async Task<Ok<BackfillResponse>> GetBackfill(string companyId, IClusterClient cluster)
    {
        var p = await cluster.GetGrain<ILeadBackfillGrain>(companyId).GetProgress();
        return TypedResults.Ok(new BackfillResponse(
            p.Round, p.Running ? "running" : p.LeadsWaiting > 0 ? "waiting" : "idle", p.LeadsInRound, p.LeadsWaiting, p.Mailboxes,
            p.MailboxesDone, p.StartedAt, p.FinishedAt));
    }

    private static async Task<Results<Ok<TimelineResponse>, ValidationProblem, ProblemHttpResult>> GetTimeline(
        string companyId, string leadId, string? limit, string? continuation, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        var count = Query.Limit(errors, limit, 500, 50);
        if (continuation is { Length: > 2048 }) errors.Add("continuation", "is not valid for this timeline.");
        if (errors.Any) return errors.Problem();
        if (await cluster.GetGrain<ILeadDirectoryGrain>(companyId).Get(leadId) is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no lead '{leadId}'.");

        TimelinePage page;
        try
        {
            page = await cluster.GetGrain<ITimelineReaderGrain>(companyId).GetPage(leadId, count, continuation);
        }
        catch (ArgumentException)
        {
            return RequestErrors.Problem("continuation", "is not valid for this timeline.");
        }
        return TypedResults.Ok(new TimelineResponse(
            [.. page.Items.Select(e => new TimelineItem(
                e.MessageId, e.Subject, e.Date, e.Direction == MessageDirection.Sent ? "sent" : "received",
                e.From, e.To, e.Cc, e.UserId, e.ToCount, e.CcCount, e.SubjectShortened))],
            page.Next));
    }
}
