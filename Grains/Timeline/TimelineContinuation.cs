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

    public static string? Encode(string companyId, string leadId, string? position) =>
        position is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', Version, companyId, leadId, position)));

    /// <summary>The store's own position inside the token; <see cref="ArgumentException"/> for anything else.</summary>
    public static string? Decode(string companyId, string leadId, string? token)
    {
        if (token is null) return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n', 4);
            if (parts is [Version, var company, var lead, var position] && company == companyId && lead == leadId) return position;
        }
        catch (FormatException)
        {
        }
        throw new ArgumentException("The continuation token is not valid for this timeline.", "continuation");
    }
}
