namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>The one status a mailbox shows at a glance (docs/design.md §2).</summary>
public enum MailboxStatus
{
    NotConfigured,
    Pending,
    Enabled,
    Error,
    ConnectionIssue,
}
