using System.Globalization;

namespace MailSync.Api.Validation;

/// <summary>The <c>Retry-After</c> header of a 429: whole seconds, at least one, so a client never retries at once.</summary>
public static class RetryAfter
{
    /// <summary>Sets the header for <paramref name="wait"/> and returns the seconds it says.</summary>
    public static long Set(HttpResponse response, TimeSpan wait)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }
}
