using System.Globalization;

namespace MailSync.Api.Validation;

/// <summary>Query-string values, parsed by hand so a bad value is a 400 naming the parameter, not a binding failure.</summary>
public static class Query
{
    public static int Limit(RequestErrors errors, string? raw, int max, int fallback)
    {
        if (raw is null) return fallback;
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1 && value <= max) return value;
        errors.Add("limit", $"must be a whole number from 1 to {max}.");
        return fallback;
    }

    public static DateTimeOffset? Instant(RequestErrors errors, string field, string? raw)
    {
        if (raw is null)
        {
            errors.Add(field, "is required (an ISO 8601 instant such as 2026-11-01T00:00:00Z).");
            return null;
        }
        if (DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var value) &&
            raw.Contains('T'))
        {
            return value;
        }
        errors.Add(field, "must be an ISO 8601 instant such as 2026-11-01T00:00:00Z.");
        return null;
    }

    public static bool? Flag(RequestErrors errors, string field, string? raw, bool fallback)
    {
        if (raw is null) return fallback;
        if (bool.TryParse(raw, out var value)) return value;
        errors.Add(field, "must be true or false.");
        return null;
    }
}
