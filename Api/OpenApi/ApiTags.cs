namespace MailSync.Api.OpenApi;

/// <summary>
/// The tags of the OpenAPI document, in the order generators and references list them, each with its description
/// (document-level tags: a generator names a client class or a folder after them). An endpoint's tag must be one of these.
/// </summary>
public static class ApiTags
{
    public const string Companies = "Companies";
    public const string Mailboxes = "Mailboxes";
    public const string Leads = "Leads";
    public const string NeverLog = "Never log";
    public const string Webhooks = "Webhooks";
    public const string GoogleCallback = "Google sign-in callback";
    public const string MicrosoftCallback = "Microsoft sign-in callback";

    public static readonly IReadOnlyList<(string Name, string Description)> All =
    [
        (Companies, "Companies, their users, seats (the mailbox sync limit and the Pending queue), error log and billing."),
        (Mailboxes,
            "One user's mailbox: connect (password, Sign in with Google or with Microsoft), status, error log, sync now, disconnect."),
        (Leads, "The company's leads and each lead's timeline of emails."),
        (NeverLog, "Addresses and domains whose emails are never recorded (the company's list and each user's), and the "
            + "company's own domains, whose colleagues are never matched as leads."),
        (Webhooks, "Operator-managed, signed webhook subscriptions of a company (mailbox.status_changed, mailbox.error, "
            + "timeline.message_added) and their delivery attempts."),
        (GoogleCallback, "Where Google sends the user's browser back after consent: not called by API clients, needs no token."),
        (MicrosoftCallback, "Where Microsoft sends the user's browser back after sign-in: not called by API clients, needs no token."),
    ];
}
