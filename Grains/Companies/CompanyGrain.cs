using MailSync.Grains.Hosting;
using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Grains.Companies;

public sealed class CompanyGrain(
    [PersistentState("company", StorageNames.GrainState)] IPersistentState<CompanyState> state)
    : Grain, ICompanyGrain
{
    public async Task<(CompanyProfile Profile, bool Created)> Upsert(string name, int mailboxSyncLimit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfNegative(mailboxSyncLimit);
        var created = !state.State.Exists;
        state.State.Exists = true;
        state.State.Name = name;
        state.State.MailboxSyncLimit = mailboxSyncLimit;
        await state.WriteStateAsync();
        return (Profile(), created);
    }

    public Task<CompanyProfile?> GetProfile() => Task.FromResult(state.State.Exists ? Profile() : null);

    private CompanyProfile Profile() =>
        new(this.GetPrimaryKeyString(), state.State.Name, state.State.MailboxSyncLimit);
}
