using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MailSync.Grains.Sync;

/// <summary>
/// The keys folder cursors are kept under: never a server-supplied name (a name a server or a user controls never becomes
/// a key), but a short fixed-size hash of the folder's stable identity. INBOX, the Sent folder and Gmail's All Mail keep
/// the role keys cursors always had, so a mailbox synced before every folder was read does not start again.
/// </summary>
public static class FolderKeys
{
    public const string Inbox = "inbox";
    public const string Sent = "sent";
    public const string All = "all";

    private const string HashPrefix = "f:";

    /// <summary>
    /// The key of a folder known by <paramref name="mailboxId"/> (RFC 8474 MAILBOXID, which survives a rename) or, without
    /// one, by its full name: renamed, it is another folder, rescanned without duplicates.
    /// </summary>
    public static string Of(string fullName, string? mailboxId)
    {
        var identity = mailboxId is { Length: > 0 } id ? "id:" + id : "name:" + fullName;
        return HashPrefix + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(identity))[..12]);
    }

    /// <summary>Whether <paramref name="key"/> is a cursor key of today (older state keyed cursors by the server's folder names).</summary>
    public static bool IsKey(string key) => key is Inbox or Sent or All || key.StartsWith(HashPrefix, StringComparison.Ordinal);
}
