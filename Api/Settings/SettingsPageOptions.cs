using System.ComponentModel.DataAnnotations;

namespace MailSync.Api.Settings;

/// <summary>
/// Configuration section <c>SettingsPage</c>: who may show the Mail Sync settings page inside a frame. Empty (the default)
/// means nobody (<c>frame-ancestors 'none'</c>); the CRM that embeds the page lists its origin, e.g.
/// <c>SettingsPage:FrameAncestors:0=https://crm.example.com</c>.
/// </summary>
public sealed class SettingsPageOptions : IValidatableObject
{
    public const string Section = "SettingsPage";

    public List<string> FrameAncestors { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < FrameAncestors.Count; i++)
        {
            // Only bare origins: anything else (a space, a ';', a quote) would add directives to the policy.
            if (!IsOrigin(FrameAncestors[i]))
            {
                yield return new ValidationResult(
                    $"SettingsPage:FrameAncestors:{i} must be an origin such as https://crm.example.com "
                        + "(scheme and host, optional port, no path).",
                    [nameof(FrameAncestors)]);
            }
        }
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        && !value.Any(c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'' or '"');
}
