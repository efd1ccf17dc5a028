using MailSync.Api.Auth;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Api.Companies;

public sealed record CompanyRequest(string? Name, int? MailboxSyncLimit)
{
    /// <summary>The validated command, or null with every problem recorded in <paramref name="errors"/>.</summary>
    public UpsertCompany? Validate(RequestErrors errors)
    {
        var name = errors.Text("name", Name, 200);
        var limit = errors.Range("mailboxSyncLimit", MailboxSyncLimit, 0, CompanyEndpoints.MaxMailboxSyncLimit);
        return name is not null && limit is { } valid ? new UpsertCompany(name, valid) : null;
    }
}

public sealed record UpsertCompany(string Name, int MailboxSyncLimit);

public sealed record CompanyResponse(string CompanyId, string Name, int MailboxSyncLimit);

public sealed record UserRequest(string? Email, string? Role)
{
    public CompanyUser? Validate(RequestErrors errors, string userId)
    {
        var email = errors.Email("email", Email);
        var role = errors.OneOf("role", Role, [.. MailSyncRoles.All.Order(StringComparer.Ordinal)]);
        return email is not null && role is not null ? new CompanyUser(userId, email, role) : null;
    }
}

public sealed record UserResponse(string UserId, string Email, string Role);

/// <summary>
/// The billing period of <c>?from=&amp;to=</c>: two ISO 8601 instants, <see cref="To"/> after <see cref="From"/>, within
/// <see cref="BillingWindow"/> of <c>now</c>.
/// </summary>
public sealed record BillingPeriod(DateTimeOffset From, DateTimeOffset To)
{
    public static BillingPeriod? Parse(RequestErrors errors, string? from, string? to, DateTimeOffset now)
    {
        var start = Query.Instant(errors, "from", from);
        var end = Query.Instant(errors, "to", to);
        if (start is not { } s || end is not { } e) return null;
        if (s < now - BillingWindow.Retention)
            errors.Add("from", $"must be within the last {BillingWindow.Retention.TotalDays:0} days: older billing is not kept.");
        if (e <= s) errors.Add("to", "must be after 'from'.");
        else if (e - s > BillingWindow.MaxPeriod)
            errors.Add("to", $"must be at most {BillingWindow.MaxPeriod.TotalDays:0} days after 'from'.");
        return errors.Any ? null : new BillingPeriod(s, e);
    }
}

public sealed record BillingUser(string UserId, long BillableSeconds);

public sealed record BillingResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<BillingUser> Users, long TotalBillableSeconds);

public sealed record SecretKeyResponse(string KeyId, int Secrets);

/// <summary>Stored secrets per encryption key, in key-id order; a key absent here seals none of the company's secrets.</summary>
public sealed record SecretKeysResponse(IReadOnlyList<SecretKeyResponse> Keys);
