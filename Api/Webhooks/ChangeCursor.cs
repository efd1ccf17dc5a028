using System.Globalization;
using MailSync.Api.Validation;

namespace MailSync.Api.Webhooks;

/// <summary>The change feed's cursor: a position in the company's event log, as decimal digits.</summary>
public static class ChangeCursor
{
    public static string Format(long position) => position.ToString(CultureInfo.InvariantCulture);

    /// <summary>0 (from the oldest kept change) when absent; null after recording a bad value on <c>since</c>.</summary>
    public static long? Parse(RequestErrors errors, string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return 0;
        if (raw.Length <= 19 && raw.All(char.IsAsciiDigit) &&
            long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors.Add("since", "must be a cursor from an earlier answer ('next'), or absent to start from the oldest change kept.");
        return null;
    }
}
