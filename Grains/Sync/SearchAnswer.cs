using MailKit;
using MailKit.Net.Imap;

namespace MailSync.Grains.Sync;

/// <summary>
/// A server's answer to a search, read before anything is held of it. MailKit keeps a UID set as ranges, so
/// <c>1:4294967294</c> costs nothing until it is enumerated; enumerated whole it is 4.3 billion numbers. Only as many
/// UIDs as the folder says it holds (EXISTS, plus new mail since) are read, and never more than
/// <see cref="MaxUids"/>: an answer naming more is the server's protocol error, for this mailbox alone.
/// </summary>
public static class SearchAnswer
{
    /// <summary>The most UIDs one search may name (4 MB as numbers): far above any folder's 30 days.</summary>
    public const int MaxUids = 1_000_000;

    /// <summary>Slack over the folder's count for mail that arrived between SELECT and SEARCH.</summary>
    private const int ArrivalSlack = 10_000;

    public static IReadOnlyList<uint> Read(IEnumerable<UniqueId> found, string folderName, int folderCount)
    {
        var limit = (int)Math.Min(MaxUids, (long)Math.Max(folderCount, 0) + ArrivalSlack);
        var uids = new List<uint>();
        foreach (var uid in found)
        {
            if (uids.Count == limit)
                throw new ImapProtocolException(
                    $"The server's search of {folderName} named more messages than the folder holds ({folderCount:N0}, "
                    + $"at most {MaxUids:N0} are read); the answer was refused.");
            uids.Add(uid.Id);
        }
        return uids;
    }
}
