using System.Globalization;

namespace MailSync.Grains.Interfaces.NeverLog;

/// <summary>
/// The one way never-log values and the addresses of mail are compared: trimmed, lower case, the domain in its ASCII
/// (punycode) form. A domain covers its subdomains: <c>example.com</c> also matches <c>ann@eu.example.com</c>.
/// </summary>
public static class NeverLogValue
{
    /// <summary>The most entries one list (the company's, or one user's) may hold.</summary>
    public const int MaxEntries = 1_000;

    public const int MaxLength = 254;

    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    /// <summary>An address (<c>local@domain</c>) or a domain (<c>example.com</c>, or <c>@example.com</c>); null if neither.</summary>
    public static string? Normalize(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            return null;
        if (text.StartsWith('@')) text = text[1..];
        var at = text.LastIndexOf('@');
        if (at < 0) return Domain(text);
        var local = text[..at];
        if (local.Length is 0 or > 64 || local.IndexOfAny(['@', '<', '>', ',', '"', '(', ')', ';', ':']) >= 0) return null;
        return Domain(text[(at + 1)..]) is { } domain ? $"{local.ToLowerInvariant()}@{domain}" : null;
    }

    /// <summary>An address of mail as <see cref="Normalize"/> would store it; as is (lower case) if it is no address.</summary>
    public static string OfAddress(string address) => Normalize(address) ?? address.Trim().ToLowerInvariant();

    /// <summary>The address (normalized) is listed in <paramref name="values"/>, or its domain or a domain above it is.</summary>
    public static bool Covers(IReadOnlySet<string> values, string normalizedAddress) =>
        values.Count > 0 && (values.Contains(normalizedAddress) || DomainsOf(normalizedAddress).Any(values.Contains));

    /// <summary>The address's domain and each domain above it that is still a name (ann@a.b.com → a.b.com, b.com).</summary>
    public static IEnumerable<string> DomainsOf(string normalizedAddress)
    {
        var domain = normalizedAddress[(normalizedAddress.LastIndexOf('@') + 1)..];
        while (domain.Contains('.', StringComparison.Ordinal))
        {
            yield return domain;
            domain = domain[(domain.IndexOf('.', StringComparison.Ordinal) + 1)..];
        }
    }

    /// <summary>A DNS name of at least two labels, in its ASCII form; null if it is none.</summary>
    public static string? Domain(string value)
    {
        var name = value.TrimEnd('.');
        if (name.Length is 0 or > 253 || !name.Contains('.', StringComparison.Ordinal)) return null;
        try
        {
            var ascii = Idn.GetAscii(name).ToLowerInvariant();
            return Uri.CheckHostName(ascii) == UriHostNameType.Dns ? ascii : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
