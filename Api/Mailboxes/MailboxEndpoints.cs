using System.Globalization;
using MailSync.Api.Auth;
using MailSync.Api.OpenApi;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Google;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Mailboxes;

public static class MailboxEndpoints
{
    public static void MapMailboxEndpoints(this RouteGroupBuilder v1)
    {
        var mailbox = v1.MapGroup("/companies/{companyId}/users/{userId}/mailbox").WithTags(ApiTags.Mailboxes);
        mailbox.MapPost("", Connect).WithName("connectMailbox")
            .RequireAccess(AccessRule.SelfOrCompanyAdmin, onBehalfNeedsRegisteredUser: true)
            .WithSummary("Connect the mailbox with a password (provider custom or google-app-password).");
        mailbox.MapGet("", Get).WithName("getMailbox").RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("The mailbox's status, colour, address, provider, last sync, last error, counters, next attempt "
                + "and place in the Pending queue.");
        mailbox.MapGet("/errors", GetErrors).WithName("listMailboxErrors").RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("The mailbox's error log, newest first.");
        mailbox.MapPost("/sync", SyncNow).WithName("syncMailboxNow").RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .WithSummary("Sync now; also the retry out of Connection Issue. "
                + "At most once per MailSync:SyncNowCooldown (429 with Retry-After).");
        mailbox.MapDelete("", Disconnect).WithName("disconnectMailbox").RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("Disconnect; keepHistory=false also removes the emails this mailbox recorded.");
    }

    private static async Task<Results<Accepted<MailboxResponse>, ValidationProblem, ProblemHttpResult>> Connect(
        string companyId, string userId, ConnectRequest? body, IClusterClient cluster,
        IOptions<MailSyncOptions> mailSync, IOptions<GoogleOptions> google, HttpResponse response)
    {
        var errors = new RequestErrors();
        var settings = mailSync.Value;
        var rules = new ConnectRules(settings.AllowInsecureImap, settings.AllowPrivateImapHosts, google.Value.Imap,
            settings.AllowAnyImapPort ? null : settings.ImapPorts);
        if (errors.Body(body)?.Validate(errors, rules) is not { } credentials) return errors.Problem();

        var result = await cluster.GetMailbox(companyId, userId).ConnectWithCooldown(credentials);
        if (!result.Ran)
            return TooSoon(response, result.RetryAfter, "This mailbox was connected moments ago; connect again in {0} seconds.");
        return TypedResults.Accepted($"/v1/companies/{companyId}/users/{userId}/mailbox", MailboxResponse.From(result.View));
    }

    private static async Task<Ok<MailboxResponse>> Get(string companyId, string userId, IClusterClient cluster)
    {
        var view = await cluster.GetMailbox(companyId, userId).GetStatus();
        // Only a Pending mailbox has a place in the queue; the company grain alone knows it.
        var place = view.Status == MailboxStatus.Pending ? await cluster.GetGrain<ICompanyGrain>(companyId).GetPlaceInQueue(userId) : null;
        return TypedResults.Ok(MailboxResponse.WithPlaceInQueue(view, place));
    }

    private static async Task<Results<Ok<ItemsResponse<ErrorEntryResponse>>, ValidationProblem>> GetErrors(
        string companyId, string userId, string? limit, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        var count = Query.Limit(errors, limit, 500, 100);
        if (errors.Any) return errors.Problem();
        var entries = await cluster.GetMailbox(companyId, userId).GetErrors(count);
        return TypedResults.Ok(new ItemsResponse<ErrorEntryResponse>([.. entries.Select(e => ErrorEntryResponse.From(e))]));
    }

    /// <summary>
    /// One attempt now, at most once per MailSync:SyncNowCooldown per mailbox: the mailbox grain keeps the time, so the
    /// limit holds across API hosts. Within it: 429 with Retry-After (seconds), and nothing changes.
    /// </summary>
    private static async Task<Results<Accepted<MailboxResponse>, ProblemHttpResult>> SyncNow(
        string companyId, string userId, IClusterClient cluster, HttpResponse response)
    {
        var result = await cluster.GetMailbox(companyId, userId).SyncNow();
        var status = result.View.Status;
        if (!status.HoldsSeat())
        {
            return TypedResults.Problem(statusCode: 409, title: "Nothing to sync",
                detail: status == MailboxStatus.Pending
                    ? "The mailbox is waiting for a free seat of the company's mailbox sync limit."
                    : "No mailbox is connected.");
        }
        if (!result.Ran)
            return TooSoon(response, result.RetryAfter, "This mailbox was synced on request moments ago; sync now again in {0} seconds.");
        return TypedResults.Accepted($"/v1/companies/{companyId}/users/{userId}/mailbox", MailboxResponse.From(result.View));
    }

    /// <summary>429 with Retry-After in whole seconds (at least 1); <paramref name="detail"/> gets the seconds as {0}.</summary>
    private static ProblemHttpResult TooSoon(HttpResponse response, TimeSpan retryAfter, string detail)
    {
        var seconds = RetryAfter.Set(response, retryAfter);
        return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
            detail: string.Format(CultureInfo.InvariantCulture, detail, seconds));
    }

    private static async Task<Results<NoContent, ValidationProblem>> Disconnect(
        string companyId, string userId, string? keepHistory, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        if (Query.Flag(errors, "keepHistory", keepHistory, fallback: true) is not { } keep) return errors.Problem();
        await cluster.GetMailbox(companyId, userId).Disconnect(keep);
        return TypedResults.NoContent();
    }
}
