using System.Globalization;
using MailSync.Api.OpenApi;
using MailSync.Api.Auth;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Webhooks;
using MailSync.Shared.Configuration;
using MailSync.Shared.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Webhooks;

public static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this RouteGroupBuilder v1)
    {
        var company = v1.MapGroup("/companies/{companyId}");
        company.MapGet("/webhooks", List).WithName("listWebhooks").RequireAccess(AccessRule.Operator).WithTags(ApiTags.Webhooks)
            .WithSummary("The company's webhook subscriptions (operator), in id order, with their delivery state; never a secret.");
        var hooks = company.MapGroup("/webhooks/{webhookId}").WithTags(ApiTags.Webhooks);
        hooks.MapPut("", Put).WithName("putWebhook").RequireAccess(AccessRule.Operator)
            .WithSummary("Create or update a signed webhook subscription (operator): url, events, secret (write-only); "
                + "a PUT resumes a paused one.");
        hooks.MapGet("", Get).WithName("getWebhook").RequireAccess(AccessRule.Operator)
            .WithSummary("A webhook subscription and its delivery state (active or paused, and why); never its secret.");
        hooks.MapDelete("", Delete).WithName("deleteWebhook").RequireAccess(AccessRule.Operator)
            .WithSummary("Remove a webhook subscription (operator).");
        hooks.MapGet("/deliveries", GetDeliveries).WithName("listWebhookDeliveries").RequireAccess(AccessRule.Operator)
            .WithSummary("The subscription's newest delivery attempts, newest first (limit 1-100).");
        company.MapGet("/mail-sync/changes", GetChanges).WithName("listMailSyncChanges").RequireAccess(AccessRule.CompanyAdmin)
            .WithTags(ApiTags.Companies)
            .WithSummary("Mailbox status changes after a cursor, in order, with the next cursor (limit 1-1000).");
    }

    private static async Task<Results<Ok<WebhookResponse>, Created<WebhookResponse>, ValidationProblem>> Put(
        string companyId, string webhookId, WebhookRequest? body, IClusterClient cluster, IOptions<WebhookOptions> webhooks,
        IOptions<MailSyncOptions> mailSync)
    {
        var errors = new RequestErrors();
        if (errors.Body(body)?.Validate(errors, webhooks.Value.AllowHttp, mailSync.Value.AllowPrivateImapHosts) is not { } input)
            return errors.Problem();
        var result = await cluster.GetGrain<ICompanyWebhooksGrain>(companyId).Put(webhookId, input);
        if (result.Subscription is not { } stored) return RequestErrors.Problem(result.RefusedField!, result.RefusedBecause!);
        var response = WebhookResponse.From(stored, await Delivery(cluster, companyId, webhookId).GetStatus());
        return result.Created
            ? TypedResults.Created($"/v1/companies/{companyId}/webhooks/{webhookId}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<Ok<ItemsResponse<WebhookResponse>>> List(string companyId, IClusterClient cluster)
    {
        var subscriptions = await cluster.GetGrain<ICompanyWebhooksGrain>(companyId).List();
        var states = await Task.WhenAll(subscriptions.Select(s => Delivery(cluster, companyId, s.Id).GetStatus()));
        return TypedResults.Ok(new ItemsResponse<WebhookResponse>([.. subscriptions.Zip(states, WebhookResponse.From)]));
    }

    private static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Get(
        string companyId, string webhookId, IClusterClient cluster)
    {
        if (await cluster.GetGrain<ICompanyWebhooksGrain>(companyId).Get(webhookId) is not { } stored) return NotFound(webhookId);
        return TypedResults.Ok(WebhookResponse.From(stored, await Delivery(cluster, companyId, webhookId).GetStatus()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(string companyId, string webhookId, IClusterClient cluster) =>
        await cluster.GetGrain<ICompanyWebhooksGrain>(companyId).Delete(webhookId) ? TypedResults.NoContent() : NotFound(webhookId);

    private static async Task<Results<Ok<ItemsResponse<DeliveryAttemptResponse>>, ValidationProblem, ProblemHttpResult>> GetDeliveries(
        string companyId, string webhookId, string? limit, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        var count = Query.Limit(errors, limit, 100, 50);
        if (errors.Any) return errors.Problem();
        if (await cluster.GetGrain<ICompanyWebhooksGrain>(companyId).Get(webhookId) is null) return NotFound(webhookId);
        var attempts = await Delivery(cluster, companyId, webhookId).GetAttempts(count);
        return TypedResults.Ok(new ItemsResponse<DeliveryAttemptResponse>([.. attempts.Select(DeliveryAttemptResponse.From)]));
    }

    private static async Task<Results<Ok<ChangesResponse>, ValidationProblem, ProblemHttpResult>> GetChanges(
        string companyId, string? since, string? limit, IClusterClient cluster, IOptions<WebhookOptions> webhooks)
    {
        var errors = new RequestErrors();
        var count = Query.Limit(errors, limit, 1000, 100);
        if (!ChangeCursor.TryParse(errors, since, out var position) || errors.Any) return errors.Problem();
        var page = await cluster.GetGrain<IChangeFeedGrain>(companyId).GetChanges(position, count);
        if (page.Gap is { } oldest) return Gap(oldest, webhooks.Value.Retention);
        return TypedResults.Ok(new ChangesResponse([.. page.Items.Select(ChangeResponse.From)], ChangeCursor.Format(page.Next)));
    }

    /// <summary>The retention removed changes after the cursor: 410, and where the feed goes on once the mirror is rebuilt.</summary>
    private static ProblemHttpResult Gap(long oldest, TimeSpan retention) =>
        TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Changes were removed",
            detail: "Changes after this cursor are older than the retention "
                + $"({retention.TotalDays.ToString("0.##", CultureInfo.InvariantCulture)} days) and were removed. "
                + "Read every mailbox's status again (GET …/mail-sync/users), then continue the feed from 'oldest'.",
            extensions: new Dictionary<string, object?> { ["oldest"] = ChangeCursor.Format(oldest) });

    private static IWebhookDeliveryGrain Delivery(IClusterClient cluster, string companyId, string webhookId) =>
        cluster.GetGrain<IWebhookDeliveryGrain>($"{companyId}/{webhookId}");

    private static ProblemHttpResult NotFound(string webhookId) =>
        TypedResults.Problem(statusCode: 404, title: "Not found",
            detail: $"There is no webhook subscription '{webhookId}' in this company.");
}
