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

    /// <summary>What a token needs besides the scope to be the operator (required with <see cref="Authority"/>).</summary>
    public OperatorOptions Operator { get; set; } = new();

    public byte[] SigningKeyBytes => Encoding.UTF8.GetBytes(SigningKey ?? "");

    public bool IsAuthorityMode => !string.IsNullOrEmpty(Authority);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrEmpty(SigningKey) && string.IsNullOrEmpty(Authority))
            yield return new ValidationResult(
                "Set Auth:SigningKey (HS256, at least 32 bytes) or Auth:Authority (OpenID Connect issuer).", [nameof(SigningKey)]);
        if (!string.IsNullOrEmpty(SigningKey) && SigningKeyBytes.Length < 32)
            yield return new ValidationResult("Auth:SigningKey must be at least 32 bytes.", [nameof(SigningKey)]);
        if (string.IsNullOrWhiteSpace(Operator.ClaimType) != string.IsNullOrWhiteSpace(Operator.ClaimValue))
        {
            yield return new ValidationResult(
                "Auth:Operator:ClaimType and Auth:Operator:ClaimValue go together: set both (e.g. roles / MailSync.Operator) or neither.",
                [nameof(Operator)]);
        }
        else if (IsAuthorityMode && (!Operator.HasClaimRule || !Operator.HasClientRule))
        {
            var missing = new List<string>();
            if (!Operator.HasClaimRule) missing.AddRange(["Auth:Operator:ClaimType", "Auth:Operator:ClaimValue"]);
            if (!Operator.HasClientRule) missing.Add("Auth:Operator:ClientIds:<n>");
            yield return new ValidationResult(
                $"Auth:Authority is set, so the scope {MailSyncRoles.OperatorScope} alone does not make the operator: any client of the "
                + $"authority could obtain it. Set {string.Join(", ", missing)}: the claim the operator's tokens carry (e.g. the app role "
                + "roles / MailSync.Operator) and the client ids (azp or appid) allowed to act as the operator.",
                [nameof(Operator)]);
        }
    }
}

/// <summary>
/// Configuration section <c>Auth:Operator</c>: a claim (<see cref="ClaimType"/> = <see cref="ClaimValue"/>, or a JSON
/// array containing it) and an allow-list of client ids (<c>azp</c>, else <c>appid</c>) that the operator's token must
/// have besides the scope. Required with <c>Auth:Authority</c>; with the HS256 key, whichever is configured applies.
/// </summary>
public sealed class OperatorOptions
{
    public string? ClaimType { get; set; }

    public string? ClaimValue { get; set; }

    public List<string> ClientIds { get; set; } = [];

    public bool HasClaimRule => !string.IsNullOrWhiteSpace(ClaimType) && !string.IsNullOrWhiteSpace(ClaimValue);

    public bool HasClientRule => ClientIds.Any(id => !string.IsNullOrWhiteSpace(id));
}
