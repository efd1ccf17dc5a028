using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MailSync.Api.Google;

/// <summary>
/// Ties a Google or Microsoft sign-in to the browser that asked for it. Starting sign-in gives that browser a random
/// binder in an HttpOnly cookie and seals only the binder's hash into the OAuth state; the callback connects nothing
/// unless the browser coming back presents the binder. Without it, a consent link requested by one user and opened by
/// someone else would connect the other person's mailbox to the requester's. Both providers share the cookie prefix.
/// </summary>
public static class SignInBinding
{
    public const string CookiePrefix = "mailsync-google-";

    /// <summary>A new binder (the cookie's value) and its hash (for the state).</summary>
    public static (string Binder, string BinderHash) Create()
    {
        var binder = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (binder, Hash(binder));
    }

    /// <summary>
    /// One cookie per sign-in started (named after part of the binder's hash), so two sign-ins started in one browser,
    /// say in two tabs, do not overwrite each other's binder.
    /// </summary>
    public static string CookieName(string binderHash) => CookiePrefix + binderHash[..16];

    /// <summary>Whether <paramref name="binder"/> is the one whose hash the state carries (compared in constant time).</summary>
    public static bool Matches(string? binder, string? binderHash)
    {
        if (string.IsNullOrEmpty(binder) || binder.Length > 64 || string.IsNullOrEmpty(binderHash)) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(binder)), Encoding.ASCII.GetBytes(binderHash));
    }

    /// <summary>
    /// The binder's cookie: sent only to the provider's callback (the path of <paramref name="redirectUri"/>, else
    /// <paramref name="defaultPath"/>), never readable by scripts, kept on the provider's top-level redirect back.
    /// </summary>
    public static CookieOptions Cookie(HttpContext http, string? redirectUri, string defaultPath) => new()
    {
        HttpOnly = true,
        Secure = http.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = Uri.TryCreate(redirectUri, UriKind.Absolute, out var callback) ? callback.AbsolutePath : defaultPath,
        MaxAge = SignInEndpoints.StateLifetime,
        IsEssential = true,
    };

    private static string Hash(string binder) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(binder)));
}
