namespace MailSync.Grains.Storage;

public static class PersistentStateExtensions
{
    /// <summary>
    /// Writes the state; if storage fails, <paramref name="deactivate"/> drops the activation so the next call reloads
    /// what was stored instead of trusting memory that never reached storage.
    /// </summary>
    public static async Task WriteOrDeactivateAsync<T>(this IPersistentState<T> state, Action deactivate)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            deactivate();
            throw;
        }
    }
}
