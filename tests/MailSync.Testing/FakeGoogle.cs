using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace MailSync.Testing;

/// <summary>
/// A loopback stand-in for Google's OAuth endpoints (token, userinfo) and for the token check Dovecot's oauth2 passdb
/// does (tokeninfo, introspect) and its revocation endpoint, on the port scripts/test-deps.sh wrote into Dovecot's config. It checks what Google
/// checks: client credentials, the redirect URI, PKCE (S256), one-time codes, revoked grants, expired tokens.
/// </summary>
public sealed class FakeGoogle
{
    public const string ClientId = "fake-client-id.apps.googleusercontent.com";
    public const string ClientSecret = "fake-client-secret";

    private static readonly Lazy<Task<FakeGoogle>> Instance = new(StartAsync);

    private readonly ConcurrentDictionary<string, (string Email, string Challenge, string RedirectUri, string Scope)> codes = new();
    private readonly ConcurrentDictionary<string, (string Email, bool Revoked)> refreshTokens = new();
    private readonly ConcurrentDictionary<string, (string Email, DateTimeOffset ExpiresAt)> accessTokens = new();
    private readonly ConcurrentDictionary<string, int> refreshes = new();
    private readonly ConcurrentBag<(string Email, string Token)> issued = [];
    private readonly ConcurrentQueue<(string Email, string Token)> revoked = new();
    private readonly ConcurrentDictionary<string, int> revocationAttempts = new();
    private readonly ConcurrentDictionary<string, int> failingRevocations = new();
    private readonly ConcurrentDictionary<string, bool> imapRefused = new();

    private FakeGoogle(int port)
    {
        BaseUrl = $"http://127.0.0.1:{port}";
        Microsoft = new FakeMicrosoft($"{BaseUrl}/microsoft");
    }

    /// <summary>The fake Microsoft identity platform this host serves too (Dovecot's token check accepts its tokens).</summary>
    public FakeMicrosoft Microsoft { get; }

    /// <summary>The one instance of this test run (Dovecot is configured for its port).</summary>
    public static Task<FakeGoogle> SharedAsync() => Instance.Value;

    public string BaseUrl { get; }

    /// <summary>How long issued access tokens live (Google: one hour).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether the token endpoint answers at all; false simulates an outage (HTTP 503).</summary>
    public bool Available { get; set; } = true;

    public int RefreshCount(string email) => refreshes.GetValueOrDefault(email);

    /// <summary>Every refresh and access token ever issued for the address (to look for them where they must not be).</summary>
    public IReadOnlyList<string> IssuedTokens(string email) =>
        [.. issued.Where(t => t.Email == email).Select(t => t.Token)];

    /// <summary>The user says yes on the consent page: checks the consent URL as Google would and returns the code.</summary>
    public string Approve(Uri consentUrl, string email)
    {
        var query = QueryHelpers.ParseQuery(consentUrl.Query);
        string Required(string name) => query.TryGetValue(name, out var v) && v.Count == 1 && v[0] is { Length: > 0 } s
            ? s
            : throw new InvalidOperationException($"consent URL lacks {name}: {consentUrl}");
        if (Required("client_id") != ClientId || Required("response_type") != "code" || Required("code_challenge_method") != "S256")
            throw new InvalidOperationException($"consent URL is not a PKCE authorization-code request: {consentUrl}");
        var code = Random("code");
        codes[code] = (email, Required("code_challenge"), Required("redirect_uri"), Required("scope"));
        return code;
    }

    /// <summary>Refresh tokens of the address revoked at the revocation endpoint, in the order they were revoked.</summary>
    public IReadOnlyList<string> RevokedTokens(string email) => [.. revoked.Where(t => t.Email == email).Select(t => t.Token)];

    /// <summary>Requests the revocation endpoint got for the address's tokens, answered or not.</summary>
    public int RevocationAttempts(string email) => revocationAttempts.GetValueOrDefault(email);

    /// <summary>The next <paramref name="times"/> revocations of the address's tokens answer 503 (per address: tests run in parallel).</summary>
    public void FailRevocations(string email, int times) => failingRevocations[email] = times;

    public void Revoke(string email)
    {
        foreach (var (token, grant) in refreshTokens.Where(t => t.Value.Email == email)) refreshTokens[token] = grant with { Revoked = true };
        ExpireAccessTokens(email);
    }

    /// <summary>
    /// Gmail refuses XOAUTH2 for the address even with fresh tokens (IMAP blocked by a Workspace admin, say): the token
    /// check Dovecot asks answers "invalid" while refresh keeps working.
    /// </summary>
    public void RefuseImap(string email) => imapRefused[email] = true;

    public void ExpireAccessTokens(string email)
    {
        foreach (var token in accessTokens.Where(t => t.Value.Email == email).Select(t => t.Key)) accessTokens.TryRemove(token, out _);
    }

    private static async Task<FakeGoogle> StartAsync()
    {
        var fake = new FakeGoogle(TestServices.Current.GooglePort);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, TestServices.Current.GooglePort));
        var app = builder.Build();
        app.MapPost("/token", fake.TokenAsync);
        app.MapGet("/userinfo", (HttpRequest request) =>
            fake.Bearer(request) is { } email ? Results.Json(new { email, email_verified = true, sub = email }) : Results.Unauthorized());
        app.MapPost("/revoke", fake.RevokeAsync);
        app.MapGet("/tokeninfo", (string? access_token) => fake.TokenInfo(access_token));
        app.MapPost("/introspect", async (HttpRequest request) => fake.TokenInfo((await request.ReadFormAsync())["token"].ToString()));
        fake.Microsoft.Map(app);
        await app.StartAsync();
        return fake;
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        if (!Available) return Results.StatusCode(503);
        var form = await request.ReadFormAsync();
        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret) return Error("invalid_client");
        switch (form["grant_type"].ToString())
        {
            case "authorization_code":
                if (!codes.TryRemove(form["code"].ToString(), out var grant)) return Error("invalid_grant");
                if (grant.RedirectUri != form["redirect_uri"] || grant.Challenge != S256(form["code_verifier"].ToString())) return Error("invalid_grant");
                var refresh = Random("refresh");
                refreshTokens[refresh] = (grant.Email, false);
                issued.Add((grant.Email, refresh));
                return Issue(grant.Email, refresh, grant.Scope);
            case "refresh_token":
                if (!refreshTokens.TryGetValue(form["refresh_token"].ToString(), out var held) || held.Revoked) return Error("invalid_grant");
                refreshes.AddOrUpdate(held.Email, 1, (_, n) => n + 1);
                return Issue(held.Email, null, "https://mail.google.com/ openid email");
            default:
                return Error("unsupported_grant_type");
        }
    }

    /// <summary>
    /// As Google's: POST form <c>token=…</c> (not in the URL); 200 and the grant is gone (the refresh token answers
    /// invalid_grant, its access tokens stop working); 400 invalid_token for a token that is unknown or already revoked.
    /// </summary>
    private async Task<IResult> RevokeAsync(HttpRequest request)
    {
        if (request.Query.ContainsKey("token") || !request.HasFormContentType) return Error("invalid_request");
        var token = (await request.ReadFormAsync())["token"].ToString();
        if (!refreshTokens.TryGetValue(token, out var grant)) return Error("invalid_token");
        revocationAttempts.AddOrUpdate(grant.Email, 1, (_, n) => n + 1);
        if (failingRevocations.TryGetValue(grant.Email, out var failures) && failures > 0)
        {
            failingRevocations[grant.Email] = failures - 1;
            return Results.StatusCode(503);
        }
        if (grant.Revoked) return Error("invalid_token");
        refreshTokens[token] = grant with { Revoked = true };
        revoked.Enqueue((grant.Email, token));
        ExpireAccessTokens(grant.Email);
        return Results.Ok();
    }

    private IResult Issue(string email, string? refreshToken, string scope)
    {
        var access = Random("access");
        accessTokens[access] = (email, DateTimeOffset.UtcNow + AccessTokenLifetime);
        issued.Add((email, access));
        return Results.Json(new Dictionary<string, object?>
        {
            ["access_token"] = access, ["token_type"] = "Bearer", ["expires_in"] = (int)AccessTokenLifetime.TotalSeconds,
            ["refresh_token"] = refreshToken, ["scope"] = scope,
        }.Where(p => p.Value is not null).ToDictionary());
    }

    private string? Valid(string? accessToken) =>
        accessToken is not null && accessTokens.TryGetValue(accessToken, out var token) && token.ExpiresAt > DateTimeOffset.UtcNow ? token.Email : null;

    private string? Bearer(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? Valid(header[7..]) : null;

    private IResult TokenInfo(string? accessToken) => (Valid(accessToken) ?? Microsoft.Valid(accessToken)) is { } email
        && !imapRefused.ContainsKey(email)
        ? Results.Json(new { username = email, active = "true" })
        : Results.Json(new { active = "false", error = "invalid_token" }, statusCode: 401);

    private static IResult Error(string error) => Results.Json(new { error }, statusCode: 400);

    private static string S256(string verifier) => Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Random(string kind) => $"{kind}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}";
}
