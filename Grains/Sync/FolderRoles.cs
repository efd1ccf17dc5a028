namespace MailSync.Grains.Sync;

/// <summary>The folders a pass syncs, by role: their cursors are keyed by these, never by server-supplied names.</summary>
public static class FolderRoles
{
    public const string Inbox = "inbox";
    public const string Sent = "sent";

    public static bool IsRole(string key) => key is Inbox or Sent;
}
