namespace MailSync.Api.Auth;

/// <summary>Who may call an endpoint, relative to the company (and user) in its route.</summary>
public enum AccessRule
{
    /// <summary>Only the platform operator.</summary>
    Operator,

    /// <summary>Administrators and CompanyManagers of the company, and the operator.</summary>
    CompanyAdmin,

    /// <summary>The user named in the route, an admin of their company, or the operator.</summary>
    SelfOrCompanyAdmin,

    /// <summary>Any of the six roles in the company, and the operator.</summary>
    CompanyMember,
}

public enum AccessDecision
{
    Allow,
    Forbidden,

    /// <summary>Another company's data: answered as if it did not exist.</summary>
    NotFound,
}

/// <summary>The pure rules of docs/design.md §8: tenant isolation first, then role.</summary>
public static class AccessRules
{
    public static AccessDecision Decide(Caller caller, AccessRule rule, string companyId, string? userId)
    {
        if (caller.IsOperator) return AccessDecision.Allow;
        if (!caller.HasKnownRole) return AccessDecision.Forbidden;
        if (!string.Equals(caller.CompanyId, companyId, StringComparison.Ordinal)) return AccessDecision.NotFound;
        return rule switch
        {
            AccessRule.Operator => AccessDecision.Forbidden,
            AccessRule.CompanyAdmin => caller.IsCompanyAdmin ? AccessDecision.Allow : AccessDecision.Forbidden,
            AccessRule.SelfOrCompanyAdmin => caller.IsCompanyAdmin || (userId is not null && caller.UserId == userId)
                ? AccessDecision.Allow
                : AccessDecision.Forbidden,
            AccessRule.CompanyMember => AccessDecision.Allow,
            _ => AccessDecision.Forbidden,
        };
    }
}
