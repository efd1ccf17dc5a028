using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MailSync.Api.Auth;

/// <summary>The key a scraper presents for the operations endpoints (<c>Metrics:Key</c>); none configured, nothing matches.</summary>
public sealed class MetricsKeyOptions : AuthenticationSchemeOptions
{
    public string? Key { get; set; }
}

/// <summary>
/// Authenticates a caller that presents <c>Metrics:Key</c> as <c>X-Metrics-Key</c> or as a bearer token, with the scope
/// <see cref="Scope"/> and nothing else: only the operations policy (<see cref="OperationsAccess"/>) accepts it.
/// </summary>
public sealed class MetricsKeyHandler(IOptionsMonitor<MetricsKeyOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<MetricsKeyOptions>(options, logger, encoder)
{
    public const string SchemeName = "MetricsKey";
    public const string Header = "X-Metrics-Key";
    public const string Scope = "mailsync.metrics";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (string.IsNullOrEmpty(Options.Key)) return Task.FromResult(AuthenticateResult.NoResult());
        if (Request.Headers.TryGetValue(Header, out var header))
        {
            return Task.FromResult(header.Count == 1 && Matches(header[0])
                ? Success()
                : AuthenticateResult.Fail($"The {Header} header does not match Metrics:Key."));
        }
        // A bearer token that is not the key is left to the JWT scheme (it may be the operator's token).
        var authorization = Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        var presented = authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase) ? authorization[bearer.Length..].Trim() : null;
        return Task.FromResult(Matches(presented) ? Success() : AuthenticateResult.NoResult());
    }

    /// <summary>Compares digests, so the time taken says nothing about the key.</summary>
    private bool Matches(string? presented) => presented is not null && CryptographicOperations.FixedTimeEquals(
        SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(Options.Key!)));

    private AuthenticateResult Success()
    {
        var identity = new ClaimsIdentity([new Claim("sub", "metrics-key"), new Claim("scope", Scope)], SchemeName, "sub", "role");
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
