using System.Globalization;
using MailSync.Api.Validation;

namespace MailSync.Api.Webhooks;

/// <summary>The change feed's cursor: a position in the company's event log, as decimal digits.</summary>
public static class ChangeCursor
{
    public static string Format(long position) => position.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The position (null when absent: from the oldest kept change); false after recording a bad value on <c>since</c>.
    /// </summary>
    public static bool TryParse(RequestErrors errors, string? raw, out long? position)
    {
        position = null;
        if (string.IsNullOrEmpty(raw)) return true;
        if (raw.Length <= 19 && raw.All(char.IsAsciiDigit) &&
            long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            position = value;
            return true;
        }
        errors.Add("since", "must be a cursor from an earlier answer ('next'), or absent to start from the oldest change kept.");
        return false;
    }
}
