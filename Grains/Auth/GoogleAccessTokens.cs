using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Google.Apis.Auth.OAuth2.Responses;
using MailSync.Shared.Google;
using MailSync.Shared.Time;

namespace MailSync.Grains.Auth;

/// <summary>
/// Access tokens per refresh token, held in silo memory only (never stored): reused while more than
/// <see cref="RefreshWhenUnder"/> remains, refreshed through Google otherwise.
/// </summary>
public sealed class GoogleAccessTokens(GoogleTokenClient google, MailSyncClock clock)
{
    public static readonly TimeSpan RefreshWhenUnder = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> cache = new();
    private DateTimeOffset nextSweep;

    /// <summary>Tokens cached now (one per mailbox signed in with Google that synced within the last hour).</summary>
    public int Cached => cache.Count;

    public async Task<string> GetAsync(string refreshToken, CancellationToken cancellationToken)
    {
        var key = Key(refreshToken);
        var now = clock.Now;
        if (cache.TryGetValue(key, out var cached) && cached.ExpiresAt - now > RefreshWhenUnder) return cached.Token;

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
        var expiresAt = now + TimeSpan.FromSeconds(response.ExpiresInSeconds ?? 3600);
        cache[key] = (response.AccessToken, expiresAt);
        ForgetExpired(now);
        return response.AccessToken;
    }

    /// <summary>
    /// Drops the access token cached for <paramref name="refreshToken"/> (the mailbox is disconnected or its grant
    /// revoked), so this silo never uses it again. Other silos' copies lapse within the hour, or are refused once revoked.
    /// </summary>
    public void Forget(string refreshToken) => cache.TryRemove(Key(refreshToken), out _);

    /// <summary>
    /// Forgets the access token, then revokes the grant behind <paramref name="refreshToken"/> at Google: true when
    /// revoked, false when it was no longer valid; throws <see cref="OAuthServerUnavailableException"/> when Google did not say.
    /// </summary>
    public Task<bool> RevokeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        Forget(refreshToken);
        return google.RevokeAsync(refreshToken, cancellationToken);
    }

    private static string Key(string refreshToken) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));

    /// <summary>Expired tokens go, at most once a minute: the cache holds only what a silo's mailboxes still use.</summary>
    private void ForgetExpired(DateTimeOffset now)
    {
        if (now < nextSweep) return;
        nextSweep = now + TimeSpan.FromMinutes(1);
        foreach (var (key, entry) in cache)
        {
            if (entry.ExpiresAt <= now) cache.TryRemove(key, out _);
        }
    }
}
