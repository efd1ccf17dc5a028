using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using MailSync.Shared.Google;
using MailSync.Shared.MicrosoftIdentity;
using MailSync.Shared.Time;

namespace MailSync.Grains.Auth;

/// <summary>
/// Access tokens of Sign in with Microsoft, in silo memory only (never stored), reused while more than
/// <see cref="GoogleAccessTokens.RefreshWhenUnder"/> remains. Microsoft rotates refresh tokens: each refresh hands back
/// the next one, which the caller seals and stores at once (<c>rotated</c>) before the access token is used, and the used
/// one is never sent again. Until the new one is stored (a failed write), this silo remembers it and uses it instead.
/// </summary>
public sealed class MicrosoftAccessTokens(MicrosoftTokenClient microsoft, MailSyncClock clock)
{
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> cache = new();

    /// <summary>Refresh tokens already used (by key) → the one that replaced them, until the replacement is stored.</summary>
    private readonly ConcurrentDictionary<string, string> successors = new();

    public async Task<string> GetAsync(string storedRefreshToken, Func<string, Task> rotated, CancellationToken cancellationToken)
    {
        var refreshToken = storedRefreshToken;
        if (successors.TryGetValue(Key(storedRefreshToken), out var successor))
        {
            await rotated(successor);
            successors.TryRemove(Key(storedRefreshToken), out _);
            refreshToken = successor;
        }
        var key = Key(refreshToken);
        var now = clock.Now;
        if (cache.TryGetValue(key, out var cached) && cached.ExpiresAt - now > GoogleAccessTokens.RefreshWhenUnder) return cached.Token;

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
        cache.TryRemove(key, out _);
        if (response.RefreshToken is { Length: > 0 } next && next != refreshToken)
        {
            successors[Key(storedRefreshToken)] = next;
            await rotated(next); // stored sealed before the access token is used; a failure keeps it in successors
            successors.TryRemove(Key(storedRefreshToken), out _);
            key = Key(next);
        }
        cache[key] = (response.AccessToken, now + response.ExpiresIn);
        return response.AccessToken;
    }

    /// <summary>Drops the access token cached for the refresh token (refused by the server, or the mailbox disconnected).</summary>
    public void Forget(string refreshToken) => cache.TryRemove(Key(refreshToken), out _);

    private static string Key(string refreshToken) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
}
