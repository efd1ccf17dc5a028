using MailSync.Grains.Interfaces.Auth;
using MailSync.Grains.Storage;
using MailSync.Shared.Storage;
using MailSync.Shared.Time;

namespace MailSync.Grains.Auth;

/// <summary>
/// Remembers that one sign-in state was used, for as long as the state itself is valid; after its expiry the sealed
/// state is refused anyway, so the row is cleared instead of piling up one per sign-in forever.
/// </summary>
public sealed class OAuthStateGrain(
    [PersistentState("oauth-state", StorageNames.GrainState)] IPersistentState<OAuthStateGrain.UsedState> state,
    MailSyncClock clock)
    : Grain, IOAuthStateGrain
{
    public async Task<bool> TryConsume(DateTimeOffset expiresAt)
    {
        if (state.State.Used) return false;
        state.State.Used = true;
        await state.WriteOrDeactivateAsync(DeactivateOnIdle);
        var remaining = expiresAt - clock.Now;
        // Kept active until the state expires, then forgotten (a silo lost meanwhile leaves one small row behind).
        this.RegisterGrainTimer(ForgetAsync,
            new GrainTimerCreationOptions(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan)
            {
                KeepAlive = true,
            });
        return true;
    }

    private async Task ForgetAsync(CancellationToken cancellationToken)
    {
        await state.ClearStateAsync(cancellationToken);
        DeactivateOnIdle();
    }

    [GenerateSerializer]
    [Alias("MailSync.OAuthStateGrain.UsedState")]
    public sealed class UsedState
    {
        [Id(0)] public bool Used { get; set; }
    }
}
