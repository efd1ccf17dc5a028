using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MailSync.Grains.Storage;

/// <summary>
/// Azure Table keys forbid '/', '\', '#', '?' and control characters; we also reserve '|' (our separator) and '%'
/// (our escape). Escaping is reversible and keeps ordinary ids unchanged.
/// </summary>
public static class TableKeys
{
    public const char Separator = '|';

    public static string Escape(string value)
    {
        StringBuilder? escaped = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '/' or '\\' or '#' or '?' or '|' or '%' || char.IsControl(c))
            {
                escaped ??= new StringBuilder(value, 0, i, value.Length + 8);
                escaped.Append('%').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped?.Append(c);
            }
        }
        return escaped?.ToString() ?? value;
    }

    public static string Join(params string[] parts) => string.Join(Separator, parts.Select(Escape));

    /// <summary>A fixed-length hex digest, for keys derived from arbitrary text such as a Message-ID.</summary>
    public static string Hash(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));

    /// <summary>Sorts newest first under the ordinal key order Azure Tables use.</summary>
    public static string NewestFirst(DateTimeOffset date) =>
        (DateTime.MaxValue.Ticks - date.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
