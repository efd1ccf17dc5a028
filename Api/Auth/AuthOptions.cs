using System.ComponentModel.DataAnnotations;
using System.Text;

namespace MailSync.Api.Auth;

/// <summary>Configuration section <c>Auth</c>: an HS256 signing key, or an OpenID Connect authority.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";
    public const string Issuer = "mailsync";
    public const string Audience = "mailsync-api";

    /// <summary>Shared secret for HS256 tokens (at least 32 bytes).</summary>
    public string? SigningKey { get; set; }

    /// <summary>OpenID Connect issuer whose tokens are accepted instead (production).</summary>
    public string? Authority { get; set; }

    public byte[] SigningKeyBytes => Encoding.UTF8.GetBytes(SigningKey ?? "");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(SigningKey) && string.IsNullOrEmpty(Authority))
            yield return new ValidationResult("Set Auth:SigningKey (HS256, at least 32 bytes) or Auth:Authority (OpenID Connect issuer).", [nameof(SigningKey)]);
        if (!string.IsNullOrEmpty(SigningKey) && SigningKeyBytes.Length < 32)
            yield return new ValidationResult("Auth:SigningKey must be at least 32 bytes.", [nameof(SigningKey)]);
    }
}
