namespace MailSync.Grains.Interfaces.Auth;

/// <summary>One sign-in attempt's state (key: its nonce): lets the OAuth callback use a state exactly once, cluster-wide.</summary>
[Alias("MailSync.IOAuthStateGrain")]
public interface IOAuthStateGrain : IGrainWithStringKey
{
    /// <summary>True the first time only (remembered until <paramref name="expiresAt"/>, when the state is refused anyway).</summary>
    [Alias("TryConsume")]
    Task<bool> TryConsume(DateTimeOffset expiresAt);
}
