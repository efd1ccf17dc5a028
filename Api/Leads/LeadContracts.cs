using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Leads;

namespace MailSync.Api.Leads;

public sealed record LeadRequest(string? Email, string? Name)
{
    public Lead? Validate(RequestErrors errors, string leadId)
    {
        var email = errors.Email("email", Email);
        var name = errors.Text("name", Name, LeadEndpoints.MaxNameLength, required: false);
        return errors.Any || email is null ? null : new Lead(leadId, email, name);
    }
}

public sealed record BulkLead(string? LeadId, string? Email, string? Name);

public sealed record BulkLeadsRequest(IReadOnlyList<BulkLead>? Items);

public sealed record LeadResponse(string LeadId, string Email, string? Name);

/// <summary>
/// One email of a lead's timeline. <c>to</c> and <c>cc</c> list at most the first 100 addresses; <c>toCount</c> and
/// <c>ccCount</c> count them all ("and 1,900 more"). A subject over 1,000 characters is cut, ends with "…" and has
/// <c>subjectShortened</c> set.
/// </summary>
public sealed record TimelineItem(
    string MessageId, string Subject, DateTimeOffset Date, string Direction, string From, IReadOnlyList<string> To,
    IReadOnlyList<string> Cc, string UserId, int ToCount, int CcCount, bool SubjectShortened);

public sealed record TimelineResponse(IReadOnlyList<TimelineItem> Items, string? Next);

/// <summary>
/// Where bringing past emails to new leads stands. Lead writes close together share a round; each round has every
/// syncing mailbox read its initial window again. <c>state</c>: idle, waiting (leads wait for the next round), running.
/// </summary>
public sealed record BackfillResponse(
    int Round, string State, long LeadsInRound, long LeadsWaiting, int Mailboxes, int MailboxesDone, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);
