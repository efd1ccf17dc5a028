using System.Buffers.Text;
using System.Text;

namespace MailSync.Grains.Timeline;

/// <summary>
/// Continuation tokens as API consumers see them: opaque, and bound to the timeline they page through, so a token
/// that was not issued for this company and lead is refused instead of silently starting somewhere else.
/// </summary>
public static class TimelineContinuation
{
    private const string Version = "t1";

    /// <param name="position">The store's own position (null at the end).</param>
    /// <param name="lastMessageKey">The message the page ended with, so the next page does not repeat it for another user.</param>
    public static string? Encode(string companyId, string leadId, string? position, string? lastMessageKey) =>
        position is null
            ? null
            : Base64Url.EncodeToString(
                Encoding.UTF8.GetBytes(string.Join('\n', Version, companyId, leadId, lastMessageKey ?? "", position)));

    /// <summary>
    /// The store's own position and the last message of the previous
    /// page; <see cref="ArgumentException"/> for anything else.
    /// </summary>
    public static (string? Position, string? LastMessageKey) Decode(string companyId, string leadId, string? token)
    {
        if (token is null) return (null, null);
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n', 5);
            if (parts is [Version, var company, var lead, var last, var position] && company == companyId && lead == leadId)
                return (position, last.Length == 0 ? null : last);
        }
        catch (FormatException)
        {
        }
        throw new ArgumentException("The continuation token is not valid for this timeline.", "continuation");
    }
}
