namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>The columns of the status table (docs/design.md §2): colour, seat, billing (syncing is the billed statuses).</summary>
public static class MailboxStatusFacts
{
    public static bool HoldsSeat(this MailboxStatus status) =>
        status is MailboxStatus.Enabled or MailboxStatus.Error or MailboxStatus.ConnectionIssue;

    /// <summary>ConnectionIssue holds a seat but is not billed for its whole duration.</summary>
    public static bool IsBilled(this MailboxStatus status) => status is MailboxStatus.Enabled or MailboxStatus.Error;

    public static string Color(this MailboxStatus status) => status switch
    {
        MailboxStatus.NotConfigured => "grey",
        MailboxStatus.Pending => "yellow",
        MailboxStatus.Enabled => "green",
        MailboxStatus.Error => "red",
        MailboxStatus.ConnectionIssue => "orange",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
