using System.Collections.Concurrent;
using MailSync.Shared.Google;
using MailSync.Shared.MicrosoftIdentity;
using MailSync.Shared.Time;

namespace MailSync.Grains.Auth;

/// <summary>
/// Access tokens of Sign in with Microsoft, in silo memory only (<see cref="AccessTokenCache"/>). Microsoft rotates refresh
/// tokens: each refresh hands back
/// the next one, which the caller seals and stores at once (<c>rotated</c>) before the access token is used, and the used
/// one is never sent again. Until the new one is stored (a failed write), this silo remembers it and uses it instead.
/// </summary>
public sealed class MicrosoftAccessTokens(MicrosoftTokenClient microsoft, MailSyncClock clock)
{
    private readonly AccessTokenCache cache = new();

    /// <summary>Refresh tokens already used (by key) → the one that replaced them, until the replacement is stored.</summary>
    private readonly ConcurrentDictionary<string, string> successors = new();

    public async Task<string> GetAsync(string storedRefreshToken, Func<string, Task> rotated, CancellationToken cancellationToken)
    {
        var refreshToken = storedRefreshToken;
        var storedKey = AccessTokenCache.Key(storedRefreshToken);
        if (successors.TryGetValue(storedKey, out var successor))
        {
            await rotated(successor);
            successors.TryRemove(storedKey, out _);
            refreshToken = successor;
        }
        var key = refreshToken == storedRefreshToken ? storedKey : AccessTokenCache.Key(refreshToken);
        var now = clock.Now;
        if (cache.Fresh(key, now) is { } fresh) return fresh;

        MicrosoftTokens response;
        try
        {
            response = await microsoft.RefreshAsync(refreshToken, cancellationToken);
        }
        catch (Exception e) when (e is not MicrosoftTokenException and not OAuthServerUnavailableException
                                   && (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            throw new OAuthServerUnavailableException(
                "Microsoft's token endpoint did not give an access token; it is asked again shortly.", e);
        }
        cache.Forget(key);
        if (response.RefreshToken is { Length: > 0 } next && next != refreshToken)
        {
            successors[storedKey] = next;
            await rotated(next); // stored sealed before the access token is used; a failure keeps it in successors
            successors.TryRemove(storedKey, out _);
            key = AccessTokenCache.Key(next);
        }
        cache.Set(key, response.AccessToken, now + response.ExpiresIn, now);
        return response.AccessToken;
    }

    /// <summary>Drops the access token cached for the refresh token: the server refused it, a fresh one is asked for.</summary>
    public void Forget(string refreshToken) => cache.Forget(AccessTokenCache.Key(refreshToken));
}
