namespace MailSync.Grains.Directory;

/// <summary>
/// The per-company tables (partition = company): what grows with a company lives here, one row per user, seat, error
/// or billing interval, so no grain state grows with it and each change writes one row.
/// </summary>
public static class DirectoryTables
{
    /// <summary>Registered users and every user's mailbox status (the company's status index), row = user id.</summary>
    public const string Users = "MailSyncCompanyUsers";

    /// <summary>Seat holders and the Pending queue, row = user id.</summary>
    public const string Seats = "MailSyncSeats";

    /// <summary>The company error log, newest first.</summary>
    public const string Errors = "MailSyncCompanyErrors";

    /// <summary>Billable intervals, row = user id | start.</summary>
    public const string Billing = "MailSyncBilling";
}
