using MailSync.Api.Auth;
using MailSync.Api.Validation;
using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Api.Companies;

/// <summary>
/// A company as the operator sets it; <see cref="OtherMailAccounts"/> (<c>confirm</c> or <c>refuse</c>, absent: unchanged)
/// says whether sign-in may connect a mail account other than a user's registered address once the user confirms it.
/// </summary>
public sealed record CompanyRequest(string? Name, int? MailboxSyncLimit, string? OtherMailAccounts = null)
{
    public static readonly string[] OtherMailAccountsValues = ["confirm", "refuse"];

    /// <summary>The validated command, or null with every problem recorded in <paramref name="errors"/>.</summary>
    public UpsertCompany? Validate(RequestErrors errors)
    {
        var name = errors.Text("name", Name, 200);
        var limit = errors.Range("mailboxSyncLimit", MailboxSyncLimit, 0, CompanyEndpoints.MaxMailboxSyncLimit);
        var other = OtherMailAccounts is null ? null : errors.OneOf("otherMailAccounts", OtherMailAccounts, OtherMailAccountsValues);
        if (name is null || limit is not { } valid || (OtherMailAccounts is not null && other is null)) return null;
        return new UpsertCompany(name, valid, other is null ? null : Enum.Parse<OtherMailAccounts>(other, ignoreCase: true));
    }
}

public sealed record UpsertCompany(string Name, int MailboxSyncLimit, OtherMailAccounts? OtherMailAccounts);

public sealed record CompanyResponse(string CompanyId, string Name, int MailboxSyncLimit, string OtherMailAccounts)
{
    public static CompanyResponse From(CompanyProfile profile) => new(
        profile.CompanyId, profile.Name, profile.MailboxSyncLimit, profile.OtherMailAccounts.ToString().ToLowerInvariant());
}

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
