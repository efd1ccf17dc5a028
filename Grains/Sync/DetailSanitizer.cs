namespace MailSync.Grains.Sync;

/// <summary>Makes a server's own words safe for the error log: no secrets, no control characters, bounded length.</summary>
public static class DetailSanitizer
{
    public const int MaxLength = 500;

    public static string? Clean(string? detail, params string?[] secrets)
    {
        if (string.IsNullOrWhiteSpace(detail)) return null;
        var text = detail;
        foreach (var secret in secrets)
        {
            if (!string.IsNullOrEmpty(secret)) text = text.Replace(secret, "***", StringComparison.Ordinal);
        }
        text = new string([.. text.Select(c => char.IsControl(c) ? ' ' : c)]).Trim();
        return text.Length <= MaxLength ? text : text[..(MaxLength - 1)] + "…";
    }
}
