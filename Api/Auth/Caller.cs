using System.Security.Claims;
using System.Text.Json;

namespace MailSync.Api.Auth;

/// <summary>Who is calling, read from the validated token's claims: sub, company, role, and whether it is the operator.</summary>
public sealed record Caller(string? UserId, string? CompanyId, string? Role, bool IsOperator)
{
    public bool HasKnownRole => Role is not null && MailSyncRoles.All.Contains(Role);

    public bool IsCompanyAdmin => Role is not null && MailSyncRoles.CompanyAdmins.Contains(Role);

    public static Caller From(ClaimsPrincipal user, AuthOptions auth) => new(
        user.FindFirst("sub")?.Value,
        user.FindFirst("company")?.Value,
        user.FindFirst("role")?.Value,
        IsOperatorToken(user, auth));

    /// <summary>
    /// The operator rule: the scope <see cref="MailSyncRoles.OperatorScope"/>, and, where configured (always with
    /// <c>Auth:Authority</c>), the claim <c>Auth:Operator:ClaimType</c> = <c>ClaimValue</c> (one of its values when the
    /// claim is an array) and a client id (<c>azp</c>, else <c>appid</c>) on <c>Auth:Operator:ClientIds</c>. With an
    /// authority whose operator rule is not configured nothing is the operator (the host refuses to start anyway).
    /// </summary>
    public static bool IsOperatorToken(ClaimsPrincipal user, AuthOptions auth)
    {
        var hasScope = user.FindAll("scope")
            .SelectMany(s => s.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(MailSyncRoles.OperatorScope);
        if (!hasScope) return false;
        var rule = auth.Operator;
        if (auth.IsAuthorityMode && (!rule.HasClaimRule || !rule.HasClientRule)) return false;
        if (rule.HasClaimRule && !user.FindAll(rule.ClaimType!).SelectMany(ClaimValues).Contains(rule.ClaimValue, StringComparer.Ordinal))
            return false;
        if (rule.HasClientRule)
        {
            // azp names the client in OIDC (and Entra v2) tokens, appid in Entra v1 tokens; exactly one client may be named.
            var clients = user.FindAll("azp").ToList();
            if (clients.Count == 0) clients = user.FindAll("appid").ToList();
            if (clients.Count != 1 || !rule.ClientIds.Contains(clients[0].Value, StringComparer.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>A claim's values: the value itself, or the strings of a JSON array (one claim per element is the usual shape).</summary>
    private static IEnumerable<string> ClaimValues(Claim claim)
    {
        var value = claim.Value;
        if (!value.TrimStart().StartsWith('[')) return [value];
        try
        {
            using var array = JsonDocument.Parse(value);
            return array.RootElement.ValueKind == JsonValueKind.Array
                ? [.. array.RootElement.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
                : [value];
        }
        catch (JsonException)
        {
            return [value];
        }
    }
}
