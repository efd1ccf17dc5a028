using MailSync.Grains.Interfaces.Auth;
using MailSync.Grains.Storage;
using MailSync.Shared.Storage;

namespace MailSync.Grains.Auth;

public sealed class OAuthStateGrain(
    [PersistentState("oauth-state", StorageNames.GrainState)] IPersistentState<OAuthStateGrain.UsedState> state)
    : Grain, IOAuthStateGrain
{
    public async Task<bool> TryConsume()
    {
        if (state.State.Used) return false;
        state.State.Used = true;
        await state.WriteOrDeactivateAsync(DeactivateOnIdle);
        return true;
    }

    [GenerateSerializer]
    [Alias("MailSync.OAuthStateGrain.UsedState")]
    public sealed class UsedState
    {
        [Id(0)] public bool Used { get; set; }
    }
}
