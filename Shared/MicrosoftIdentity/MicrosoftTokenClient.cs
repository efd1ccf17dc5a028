using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MailSync.Shared.Google;
using Microsoft.Extensions.Options;

namespace MailSync.Shared.MicrosoftIdentity;

/// <summary>
/// The Microsoft identity platform v2.0 token endpoint, as plain OAuth 2.0 over HttpClient: each refresh token is used
/// once and its successor handed to the caller, who seals and stores it (MSAL would keep it in a token cache of its own).
/// </summary>
public sealed class MicrosoftTokenClient(IOptions<MicrosoftOptions> options, HttpClient http)
{
    private MicrosoftOptions Microsoft => options.Value;

    /// <summary>Authorization code (with its PKCE verifier) → tokens.</summary>
    public Task<MicrosoftTokens> ExchangeCodeAsync(string code, string codeVerifier, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["code_verifier"] = codeVerifier,
            ["redirect_uri"] = Microsoft.RedirectUri ?? "", ["scope"] = MicrosoftOptions.Scope,
        }, cancellationToken);

    /// <summary>A new access token and the refresh token that replaces <paramref name="refreshToken"/>.</summary>
    public Task<MicrosoftTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["scope"] = MicrosoftOptions.Scope,
        }, cancellationToken);

    /// <summary>
    /// One token request: the tokens, a <see cref="MicrosoftTokenException"/> for Microsoft's verdict (a 400 or 401 with an
    /// OAuth error), or an <see cref="OAuthServerUnavailableException"/> for anything else (no answer, 5xx, 429).
    /// </summary>
    private async Task<MicrosoftTokens> RequestAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["client_id"] = Microsoft.ClientId ?? "";
        form["client_secret"] = Microsoft.ClientSecret ?? "";
        using var content = new FormUrlEncodedContent(form);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(Microsoft.TokenUrl, content, cancellationToken);
        }
        catch (Exception e)
            when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new OAuthServerUnavailableException("Microsoft's token endpoint did not answer; it is asked again shortly.", e);
        }
        using (response)
        {
            var body = await ReadAsync(response, cancellationToken);
            if (response.IsSuccessStatusCode && body?.AccessToken is { Length: > 0 } access)
            {
                return new MicrosoftTokens(
                    access, body.RefreshToken, TimeSpan.FromSeconds(body.ExpiresIn ?? 3600), body.IdToken, body.Scope);
            }
            if ((int)response.StatusCode is 400 or 401 && body?.Error is { Length: > 0 } error)
                throw new MicrosoftTokenException(error, body.ErrorCodes ?? [], body.ErrorDescription, Microsoft.AdminConsentUrl);
            throw new OAuthServerUnavailableException($"Microsoft's token endpoint answered {(int)response.StatusCode}",
                new HttpRequestException(response.ReasonPhrase, null, response.StatusCode));
        }
    }

    /// <summary>The account's address from the OIDC userinfo endpoint (when a token response carries no ID token).</summary>
    public async Task<string?> GetEmailAsync(string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Microsoft.UserInfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        var info = await response.Content.ReadFromJsonAsync<UserInfo>(cancellationToken);
        return info?.Email ?? info?.PreferredUsername;
    }

    private static async Task<TokenBody?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TokenBody>(cancellationToken);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private sealed record TokenBody(
        [property: JsonPropertyName("access_token")] string? AccessToken,
        [property: JsonPropertyName("refresh_token")] string? RefreshToken,
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("id_token")] string? IdToken,
        [property: JsonPropertyName("scope")] string? Scope,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("error_description")] string? ErrorDescription,
        [property: JsonPropertyName("error_codes")] IReadOnlyList<int>? ErrorCodes);

    private sealed record UserInfo(
        [property: JsonPropertyName("email")] string? Email,
        [property: JsonPropertyName("preferred_username")] string? PreferredUsername);
}
