using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using Google.Apis.Util;
using Microsoft.Extensions.Options;

namespace MailSync.Shared.Google;

/// <summary>Google's token, revocation and userinfo endpoints, through Google.Apis.Auth's token requests.</summary>
public sealed class GoogleTokenClient(IOptions<GoogleOptions> options, HttpClient http)
{
    private GoogleOptions Google => options.Value;

    /// <summary>
    /// Authorization code (with its PKCE verifier) → tokens; throws
    /// <see cref="TokenResponseException"/> when Google refuses.
    /// </summary>
    public Task<TokenResponse> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken) =>
        new AuthorizationCodeTokenRequest
        {
            Code = code,
            CodeVerifier = codeVerifier,
            RedirectUri = Google.RedirectUri,
            ClientId = Google.ClientId,
            ClientSecret = Google.ClientSecret,
        }.ExecuteAsync(http, Google.TokenEndpoint, cancellationToken, SystemClock.Default);

    /// <summary>
    /// A new access token; <c>invalid_grant</c> (revoked or expired
    /// grant) surfaces as <see cref="TokenResponseException"/>.
    /// </summary>
    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        new RefreshTokenRequest
        {
            RefreshToken = refreshToken,
            ClientId = Google.ClientId,
            ClientSecret = Google.ClientSecret,
        }.ExecuteAsync(http, Google.TokenEndpoint, cancellationToken, SystemClock.Default);

    /// <summary>
    /// Revokes the grant behind <paramref name="token"/> at Google's revocation endpoint: true when Google revoked it, false
    /// when Google says the token is not valid (already revoked or expired: nothing left to revoke). Anything else (no
    /// answer, 5xx, 429, another refusal) throws <see cref="OAuthServerUnavailableException"/>: the caller tries again.
    /// </summary>
    public async Task<bool> RevokeAsync(string token, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        // The token goes in the form body, never in the URL (URLs end up in proxies' logs).
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]);
        try
        {
            response = await http.PostAsync(Google.RevocationEndpoint, form, cancellationToken);
        }
        catch (Exception e)
            when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new OAuthServerUnavailableException("Google's revocation endpoint did not answer; it is asked again shortly.", e);
        }
        using (response)
        {
            if (response.IsSuccessStatusCode) return true;
            if (response.StatusCode == HttpStatusCode.BadRequest &&
                await ErrorCodeAsync(response, cancellationToken) is "invalid_token" or "invalid_grant")
            {
                return false;
            }
            throw new OAuthServerUnavailableException($"Google's revocation endpoint answered {(int)response.StatusCode}",
                new HttpRequestException(response.ReasonPhrase, null, response.StatusCode));
        }
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<OAuthError>(cancellationToken))?.Error;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The verified address of the account the access token belongs to.</summary>
    public async Task<string> GetEmailAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Google.UserInfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var info = await response.Content.ReadFromJsonAsync<UserInfo>(cancellationToken);
        return info is { Email: { Length: > 0 } email, EmailVerified: not false }
            ? email
            : throw new InvalidOperationException("Google did not return a verified email address for the account.");
    }

    private sealed record OAuthError([property: JsonPropertyName("error")] string? Error);

    private sealed record UserInfo(
        [property: JsonPropertyName("email")] string? Email,
        [property: JsonPropertyName("email_verified")] bool? EmailVerified);
}
