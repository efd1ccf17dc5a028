using Google.Apis.Auth.OAuth2.Responses;
using MailSync.Shared.Google;
using MailSync.Shared.Time;

namespace MailSync.Grains.Auth;

/// <summary>
/// Access tokens of Sign in with Google, in silo memory only (<see cref="AccessTokenCache"/>), refreshed through Google
/// when they run short.
/// </summary>
public sealed class GoogleAccessTokens(GoogleTokenClient google, MailSyncClock clock)
{
    private readonly AccessTokenCache cache = new();

    /// <summary>Tokens cached now (one per mailbox signed in with Google that synced within the last hour).</summary>
    public int Cached => cache.Count;

    public async Task<string> GetAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var key = AccessTokenCache.Key(refreshToken);
        var now = clock.Now;
        if (cache.Fresh(key, now) is { } fresh) return fresh;

        TokenResponse response;
        try
        {
            response = await google.RefreshAsync(refreshToken, cancellationToken);
        }
        catch (TokenResponseException e) when (e.Error?.Error is "invalid_grant" or "invalid_scope")
        {
            throw; // the user's grant is gone: they must sign in again
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Users read this sentence (the error log, webhooks); what went wrong inside is for the operators' log (the inner exception).
            throw new OAuthServerUnavailableException("Google's token server did not give an access token; it is asked again shortly.", e);
        }
        cache.Set(key, response.AccessToken, now + TimeSpan.FromSeconds(response.ExpiresInSeconds ?? 3600), now);
        return response.AccessToken;
    }

    /// <summary>
    /// Drops the access token cached for <paramref name="refreshToken"/> (the mailbox is disconnected or its grant
    /// revoked), so this silo never uses it again. Other silos' copies lapse within the hour, or are refused once revoked.
    /// </summary>
    public void Forget(string refreshToken) => cache.Forget(AccessTokenCache.Key(refreshToken));

    /// <summary>
    /// Forgets the access token, then revokes the grant behind <paramref name="refreshToken"/> at Google: true when
    /// revoked, false when it was no longer valid; throws <see cref="OAuthServerUnavailableException"/> when Google did not say.
    /// </summary>
    public Task<bool> RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        Forget(refreshToken);
        return google.RevokeAsync(refreshToken, cancellationToken);
    }

}
