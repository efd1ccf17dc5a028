using System.Security.Claims;

namespace MailSync.Api.Auth;

/// <summary>Who is calling, read from the validated token's claims: sub, company, role, scope.</summary>
public sealed record Caller(string? UserId, string? CompanyId, string? Role, bool IsOperator)
{
    public bool HasKnownRole => Role is not null && MailSyncRoles.All.Contains(Role);

    public bool IsCompanyAdmin => Role is not null && MailSyncRoles.CompanyAdmins.Contains(Role);

    public static Caller From(ClaimsPrincipal user) => new(
        user.FindFirst("sub")?.Value,
        user.FindFirst("company")?.Value,
        user.FindFirst("role")?.Value,
        user.FindAll("scope").SelectMany(s => s.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(MailSyncRoles.OperatorScope));
}
