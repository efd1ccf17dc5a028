using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace MailSync.Grains.Auth;

/// <summary>
/// Access tokens by the hash of their refresh token, in silo memory only (never stored): reused while more than
/// <see cref="RefreshWhenUnder"/> remains; expired ones go at most once a minute, so the cache holds only what a silo's
/// mailboxes still use.
/// </summary>
internal sealed class AccessTokenCache
{
    public static readonly TimeSpan RefreshWhenUnder = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset ExpiresAt)> cache = new();
    private DateTimeOffset nextSweep;

    public int Count => cache.Count;

    /// <summary>The cache key of a refresh token: its SHA-256, so the cache never holds the refresh token itself.</summary>
    public static string Key(string refreshToken) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));

    /// <summary>The access token for <paramref name="key"/> while it has more than <see cref="RefreshWhenUnder"/> left.</summary>
    public string? Fresh(string key, DateTimeOffset now) =>
        cache.TryGetValue(key, out var cached) && cached.ExpiresAt - now > RefreshWhenUnder ? cached.Token : null;

    public void Set(string key, string accessToken, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        cache[key] = (accessToken, expiresAt);
        if (now < nextSweep) return;
        nextSweep = now + TimeSpan.FromMinutes(1);
        foreach (var (old, entry) in cache)
        {
            if (entry.ExpiresAt <= now) cache.TryRemove(old, out _);
        }
    }

    public void Forget(string key) => cache.TryRemove(key, out _);
}
