using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace MailSync.Testing;

/// <summary>
/// A loopback stand-in for the Microsoft identity platform v2.0 (token, userinfo), served next to the fake Google on the
/// port Dovecot's XOAUTH2 check asks, which accepts its access tokens too. It checks what Microsoft checks: client
/// credentials, the redirect URI, PKCE (S256), one-time codes, and it rotates refresh tokens: each refresh answers with a
/// new one, and a used one is refused (invalid_grant) as a replay. Errors are scripted per address, with AADSTS bodies.
/// </summary>
public sealed class FakeMicrosoft
{
    public const string ClientId = "00000000-fake-4000-8000-mailsyncapp01";
    public const string ClientSecret = "fake-microsoft-secret";
    public const string Tenant = "common";

    private readonly ConcurrentDictionary<string, (string Email, string Challenge, string RedirectUri)> codes = new();
    private readonly ConcurrentDictionary<string, (string Email, bool Used)> refreshTokens = new();
    private readonly ConcurrentDictionary<string, (string Email, DateTimeOffset ExpiresAt)> accessTokens = new();
    private readonly ConcurrentDictionary<string, int> refreshes = new();
    private readonly ConcurrentDictionary<string, int> replays = new();
    private readonly ConcurrentBag<(string Email, string Token)> issued = [];
    private readonly ConcurrentDictionary<string, (int Status, string Error, int[] Codes, string Description)> scripted = new();

    internal FakeMicrosoft(string baseUrl) => BaseUrl = baseUrl;

    /// <summary>The one instance of this test run, served by the fake Google's host.</summary>
    public static async Task<FakeMicrosoft> SharedAsync() => (await FakeGoogle.SharedAsync()).Microsoft;

    /// <summary>The authority to configure as <c>Microsoft:Authority</c> (endpoints under <c>/{tenant}/oauth2/v2.0/</c>).</summary>
    public string BaseUrl { get; }

    public string UserInfoEndpoint => $"{BaseUrl}/oidc/userinfo";

    /// <summary>How long issued access tokens live (Microsoft: about an hour).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public int RefreshCount(string email) => refreshes.GetValueOrDefault(email);

    /// <summary>Refreshes refused because the refresh token was already used.</summary>
    public int ReplayCount(string email) => replays.GetValueOrDefault(email);

    public IReadOnlyList<string> IssuedTokens(string email) => [.. issued.Where(t => t.Email == email).Select(t => t.Token)];

    /// <summary>The user signs in on Microsoft's page: checks the URL as Microsoft would and returns the code.</summary>
    public string Approve(Uri signInUrl, string email)
    {
        var query = QueryHelpers.ParseQuery(signInUrl.Query);
        string Required(string name) => query.TryGetValue(name, out var v) && v.Count == 1 && v[0] is { Length: > 0 } s
            ? s
            : throw new InvalidOperationException($"sign-in URL lacks {name}: {signInUrl}");
        if (!signInUrl.AbsolutePath.EndsWith("/oauth2/v2.0/authorize", StringComparison.Ordinal) || Required("client_id") != ClientId
            || Required("response_type") != "code" || Required("code_challenge_method") != "S256"
            || !Required("scope").Split(' ').Contains("offline_access"))
            throw new InvalidOperationException($"not a PKCE authorization-code request with offline access: {signInUrl}");
        var code = Random("code");
        codes[code] = (email, Required("code_challenge"), Required("redirect_uri"));
        return code;
    }

    /// <summary>A sign-in done outside any page: the refresh token a callback would have stored for the address.</summary>
    public string Grant(string email)
    {
        var refresh = Random("refresh");
        refreshTokens[refresh] = (email, false);
        issued.Add((email, refresh));
        return refresh;
    }

    /// <summary>The next token requests for the address fail with Microsoft's error body (or only a status: no body).</summary>
    public void Fail(string email, string error, int[] aadsts, string description, int status = 400) =>
        scripted[email] = (status, error, aadsts, description);

    public void Heal(string email) => scripted.TryRemove(email, out _);

    public void ExpireAccessTokens(string email)
    {
        foreach (var token in accessTokens.Where(t => t.Value.Email == email).Select(t => t.Key)) accessTokens.TryRemove(token, out _);
    }

    internal void Map(WebApplication app)
    {
        app.MapPost("/microsoft/{tenant}/oauth2/v2.0/token", (string tenant, HttpRequest request) => TokenAsync(request));
        app.MapGet("/microsoft/oidc/userinfo", (HttpRequest request) => Bearer(request) is { } email
            ? Results.Json(new { sub = email, email, preferred_username = email })
            : Results.Unauthorized());
    }

    /// <summary>The address an access token is for, while it lives (Dovecot's XOAUTH2 check asks through the fake Google).</summary>
    internal string? Valid(string? accessToken) =>
        accessToken is not null && accessTokens.TryGetValue(accessToken, out var token) && token.ExpiresAt > DateTimeOffset.UtcNow
            ? token.Email
            : null;

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
            return Error(401, "invalid_client", [7000215], "AADSTS7000215: Invalid client secret provided.");
        switch (form["grant_type"].ToString())
        {
            case "authorization_code":
                if (!codes.TryRemove(form["code"].ToString(), out var grant))
                    return Error(400, "invalid_grant", [54005], "AADSTS54005: OAuth2 Authorization code was already redeemed.");
                if (grant.RedirectUri != form["redirect_uri"] || grant.Challenge != S256(form["code_verifier"].ToString()))
                    return Error(400, "invalid_grant", [501481], "AADSTS501481: The Code_Verifier does not match the code_challenge.");
                if (scripted.TryGetValue(grant.Email, out var onCode)) return Error(onCode.Status, onCode.Error, onCode.Codes, onCode.Description);
                return Issue(grant.Email, withIdToken: true);
            case "refresh_token":
                var presented = form["refresh_token"].ToString();
                if (!refreshTokens.TryGetValue(presented, out var held))
                    return Error(400, "invalid_grant", [9002313], "AADSTS9002313: Invalid request. Request is malformed or invalid.");
                if (scripted.TryGetValue(held.Email, out var failure)) return Error(failure.Status, failure.Error, failure.Codes, failure.Description);
                if (held.Used)
                {
                    replays.AddOrUpdate(held.Email, 1, (_, n) => n + 1);
                    return Error(400, "invalid_grant", [70000], "AADSTS70000: The provided grant has already been used (replayed refresh token).");
                }
                refreshTokens[presented] = held with { Used = true };
                refreshes.AddOrUpdate(held.Email, 1, (_, n) => n + 1);
                return Issue(held.Email, withIdToken: false);
            default:
                return Error(400, "unsupported_grant_type", [70003], "AADSTS70003: The app requested an unsupported grant type.");
        }
    }

    private IResult Issue(string email, bool withIdToken)
    {
        var access = Random("access");
        var refresh = Random("refresh");
        accessTokens[access] = (email, DateTimeOffset.UtcNow + AccessTokenLifetime);
        refreshTokens[refresh] = (email, false);
        issued.Add((email, access));
        issued.Add((email, refresh));
        var body = new Dictionary<string, object?>
        {
            ["token_type"] = "Bearer", ["access_token"] = access, ["refresh_token"] = refresh,
            ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["scope"] = "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/.default",
            ["id_token"] = withIdToken ? IdToken(email) : null,
        };
        return Results.Json(body.Where(p => p.Value is not null).ToDictionary());
    }

    /// <summary>An ID token as the token endpoint returns it (read by the service without a signature check: it came over TLS).</summary>
    private static string IdToken(string email)
    {
        static string Part(object value) => System.Buffers.Text.Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));
        return $"{Part(new { alg = "RS256", typ = "JWT" })}.{Part(new { aud = ClientId, preferred_username = email, email, tid = "fake" })}.c2ln";
    }

    private string? Bearer(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? Valid(header[7..]) : null;

    private static IResult Error(int status, string error, int[] codes, string description) =>
        Results.Json(new Dictionary<string, object>
        {
            ["error"] = error, ["error_description"] = $"{description}\r\nTrace ID: 0000 Correlation ID: 0000 Timestamp: 2026-12-06 00:00:00Z",
            ["error_codes"] = codes,
        }, statusCode: status);

    private static string S256(string verifier) => Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Random(string kind) => $"ms-{kind}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
}
