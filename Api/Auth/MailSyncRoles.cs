namespace MailSync.Api.Auth;

/// <summary>The six CRM roles and the platform operator's scope (docs/design.md §8).</summary>
public static class MailSyncRoles
{
    public const string Administrator = "Administrator";
    public const string CompanyManager = "CompanyManager";
    public const string OperatorScope = "mailsync.operator";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Administrator, CompanyManager, "MarketingManager", "SalesManager", "Salesperson", "JrSalesperson",
    };

    /// <summary>Roles that see and manage every mailbox of their company.</summary>
    public static readonly IReadOnlySet<string> CompanyAdmins =
        new HashSet<string>(StringComparer.Ordinal) { Administrator, CompanyManager };
}
