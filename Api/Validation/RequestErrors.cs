using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using MimeKit;

namespace MailSync.Api.Validation;

/// <summary>
/// Collects what is wrong with a request, field by field, and turns it into a 400 problem naming every field.
/// Each check returns the cleaned value, or null after recording why it is unusable.
/// </summary>
public sealed partial class RequestErrors
{
    public const int MaxEmailLength = 254;
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
    }

    public ValidationProblem Problem() => Problem(errors);

    public static ValidationProblem Problem(string field, string message) => Problem(new() { [field] = [message] });

    /// <summary>Records a missing JSON body once, instead of one "required" per field.</summary>
    public T? Body<T>(T? body) where T : class
    {
        if (body is null) Add("body", "is required: a JSON object.");
        return body;
    }

    public static bool IsId(string? value) => value is not null && IdPattern().IsMatch(value);

    public string? Id(string field, string? value)
    {
        if (IsId(value)) return value;
        Add(field, "must be 1 to 64 characters of letters, digits, '.', '_' or '-'.");
        return null;
    }

    public string? Text(string field, string? value, int maxLength, bool required = true)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) Add(field, "is required.");
            return null;
        }
        if (value.Length > maxLength || value.Any(char.IsControl))
        {
            Add(field, $"must be at most {maxLength} characters without control characters.");
            return null;
        }
        return value.Trim();
    }

    /// <summary>A plain address (local@domain), checked with MimeKit's parser.</summary>
    public string? Email(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required.");
            return null;
        }
        var trimmed = value.Trim();
        if (IsEmail(trimmed)) return trimmed;
        Add(field, "must be a valid email address such as ann@example.com.");
        return null;
    }

    /// <summary>A plain address (local@domain at a DNS name), as MimeKit parses it.</summary>
    public static bool IsEmail(string value) =>
        value.Length <= MaxEmailLength && MailboxAddress.TryParse(ParserOptions.Default, value, out var mailbox) &&
        mailbox.Address == value && mailbox.Name is null or "" && mailbox.Domain is { Length: > 0 } domain &&
        !domain.StartsWith('[') && Uri.CheckHostName(domain) == UriHostNameType.Dns && mailbox.LocalPart.Length > 0;

    public string? Host(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required.");
            return null;
        }
        var host = value.Trim();
        if (host.Length <= 253 && Uri.CheckHostName(host) is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6)
            return host;
        Add(field, "must be a host name or IP address.");
        return null;
    }

    public int? Range(string field, int? value, int min, int max, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(field, "is required.");
            return null;
        }
        if (value >= min && value <= max) return value;
        Add(field, $"must be between {min} and {max}.");
        return null;
    }

    /// <summary>One of <paramref name="allowed"/>, compared exactly.</summary>
    public string? OneOf(string field, string? value, params string[] allowed)
    {
        if (value is not null && allowed.Contains(value, StringComparer.Ordinal)) return value;
        Add(field, value is null ? "is required." : $"must be one of: {string.Join(", ", allowed)}.");
        return null;
    }

    private static ValidationProblem Problem(Dictionary<string, List<string>> errors) =>
        TypedResults.ValidationProblem(
            errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
            title: "The request is invalid.",
            detail: "Fix the fields named in 'errors'; nothing was changed.");

    // \z, not $: "$" also matches before a final newline, which would let "ann\n" through as an id.
    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex IdPattern();
}
