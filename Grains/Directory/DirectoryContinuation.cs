using System.Buffers.Text;
using System.Text;

namespace MailSync.Grains.Directory;

/// <summary>
/// Continuation tokens of company-wide pages: opaque to consumers and bound to the company and query they page
/// through, so a token issued for another company or filter is refused instead of silently starting elsewhere.
/// </summary>
public static class DirectoryContinuation
{
    private const string Version = "d1";

    public static string? Encode(string companyId, string scope, string? position) =>
        position is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('\n', Version, companyId, scope, position)));

    /// <summary>The store's own position; <see cref="ArgumentException"/> for a token that is not for this company and query.</summary>
    public static string? Decode(string companyId, string scope, string? token)
    {
        if (token is null) return null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token)).Split('\n', 4);
            if (parts is [Version, var company, var query, var position] && company == companyId && query == scope) return position;
        }
        catch (FormatException)
        {
        }
        throw new ArgumentException("The continuation token is not valid for this list.", "continuation");
    }
}
