using System.Net;
using MailSync.Api.Auth;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Shared.Configuration;
using MailSync.Shared.Google;
using MailSync.Shared.Network;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Mailboxes;

public static class MailboxEndpoints
{
    public static void MapMailboxEndpoints(this RouteGroupBuilder v1)
    {
        var mailbox = v1.MapGroup("/companies/{companyId}/users/{userId}/mailbox").WithTags("Mailboxes");
        mailbox.MapPost("", Connect).RequireAccess(AccessRule.SelfOrCompanyAdmin, onBehalfNeedsRegisteredUser: true)
            .WithSummary("Connect the mailbox with a password (provider custom or google-app-password).");
        mailbox.MapGet("", Get).RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("The mailbox's status, colour, address, provider, last sync, last error, counters.");
        mailbox.MapGet("/errors", GetErrors).RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("The mailbox's error log, newest first.");
        mailbox.MapPost("/sync", SyncNow).RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("Sync now; also the retry out of Connection Issue.");
        mailbox.MapDelete("", Disconnect).RequireAccess(AccessRule.SelfOrCompanyAdmin)
            .WithSummary("Disconnect; keepHistory=false also removes the emails this mailbox recorded.");
    }

    private static async Task<Results<Accepted<MailboxResponse>, ValidationProblem>> Connect(
        string companyId, string userId, ConnectRequest? body, IClusterClient cluster,
        IOptions<MailSyncOptions> mailSync, IOptions<GoogleOptions> google)
    {
        var errors = new RequestErrors();
        if (errors.Body(body) is null) return errors.Problem();
        var provider = errors.OneOf("provider", body?.Provider, ProviderNames.Custom, ProviderNames.GoogleAppPassword);
        var email = errors.Email("email", body?.Email);
        var username = errors.Text("username", body?.Username, 256, required: provider == ProviderNames.Custom);
        var password = body?.Password;
        if (string.IsNullOrEmpty(password)) errors.Add("password", "is required.");
        else if (password.Length > 1024) errors.Add("password", "must be at most 1024 characters.");

        ImapEndpoint? imap = null;
        if (provider == ProviderNames.GoogleAppPassword)
        {
            if (body?.Imap is not null) errors.Add("imap", "must be omitted for google-app-password: Gmail's IMAP server is used.");
            imap = google.Value.Imap;
        }
        else if (provider == ProviderNames.Custom)
        {
            imap = ImapEndpointFrom(errors, body?.Imap, mailSync.Value.AllowInsecureImap, mailSync.Value.AllowPrivateImapHosts);
        }
        if (errors.Any) return errors.Problem();

        var credentials = new MailboxCredentials(
            provider == ProviderNames.Custom ? MailboxProvider.Custom : MailboxProvider.GoogleAppPassword,
            email!, username ?? email!, password!, imap!);
        var view = await cluster.GetMailbox(companyId, userId).Connect(credentials);
        return TypedResults.Accepted($"/v1/companies/{companyId}/users/{userId}/mailbox", MailboxResponse.From(view));
    }

    private static ImapEndpoint? ImapEndpointFrom(RequestErrors errors, ImapRequest? imap, bool allowInsecure, bool allowPrivate)
    {
        if (imap is null)
        {
            errors.Add("imap", "is required for provider custom: host, port and security.");
            return null;
        }
        var host = errors.Host("imap.host", imap.Host);
        if (host is not null && !allowPrivate && (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
                                                  (IPAddress.TryParse(host, out var ip) && !PublicAddress.Is(ip))))
        {
            errors.Add("imap.host", "is a private or local address; use the IMAP server's public host name.");
            host = null;
        }
        var port = errors.Range("imap.port", imap.Port, 1, 65535);
        var security = errors.OneOf("imap.security", imap.Security, "ssl", "starttls", "none");
        if (security == "none" && !allowInsecure)
        {
            errors.Add("imap.security", "'none' sends the password unencrypted and is not allowed on this service; use ssl or starttls.");
            return null;
        }
        if (host is null || port is null || security is null) return null;
        return new ImapEndpoint(host, port.Value, security switch
        {
            "ssl" => ImapSecurity.Ssl,
            "starttls" => ImapSecurity.StartTls,
            _ => ImapSecurity.None,
        });
    }

    private static async Task<Ok<MailboxResponse>> Get(string companyId, string userId, IClusterClient cluster) =>
        TypedResults.Ok(MailboxResponse.From(await cluster.GetMailbox(companyId, userId).GetStatus()));

    private static async Task<Results<Ok<ItemsResponse<ErrorEntryResponse>>, ValidationProblem>> GetErrors(
        string companyId, string userId, string? limit, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        var count = Query.Limit(errors, limit, 500, 100);
        if (errors.Any) return errors.Problem();
        var entries = await cluster.GetMailbox(companyId, userId).GetErrors(count);
        return TypedResults.Ok(new ItemsResponse<ErrorEntryResponse>([.. entries.Select(e => ErrorEntryResponse.From(e))]));
    }

    private static async Task<Results<Accepted<MailboxResponse>, ProblemHttpResult>> SyncNow(string companyId, string userId, IClusterClient cluster)
    {
        var mailbox = cluster.GetMailbox(companyId, userId);
        var status = (await mailbox.GetStatus()).Status;
        if (!status.HoldsSeat())
        {
            return TypedResults.Problem(statusCode: 409, title: "Nothing to sync",
                detail: status == MailboxStatus.Pending
                    ? "The mailbox is waiting for a free seat of the company's mailbox sync limit."
                    : "No mailbox is connected.");
        }
        return TypedResults.Accepted($"/v1/companies/{companyId}/users/{userId}/mailbox", MailboxResponse.From(await mailbox.SyncNow()));
    }

    private static async Task<Results<NoContent, ValidationProblem>> Disconnect(
        string companyId, string userId, string? keepHistory, IClusterClient cluster)
    {
        var errors = new RequestErrors();
        var keep = Query.Flag(errors, "keepHistory", keepHistory, fallback: true);
        if (errors.Any) return errors.Problem();
        await cluster.GetMailbox(companyId, userId).Disconnect(keep!.Value);
        return TypedResults.NoContent();
    }
}
