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

public sealed record TimelineItem(
    string MessageId, string Subject, DateTimeOffset Date, string Direction, string From, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string UserId);

public sealed record TimelineResponse(IReadOnlyList<TimelineItem> Items, string? Next);
