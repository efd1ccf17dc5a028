using Orleans.Concurrency;

namespace MailSync.Grains.Interfaces.NeverLog;

/// <summary>
/// A company's never-log lists and internal-mail rule (key: companyId): the company's list (<c>userId</c> null) and each
/// user's own. Adding an entry also removes, durably and in bounded steps, the timeline entries already recorded with it:
/// the company's from every mailbox, a user's from their own mailbox only. The grain normalizes the values it is given
/// (<see cref="NeverLogValue.Normalize"/>).
/// </summary>
[Alias("MailSync.INeverLogGrain")]
public interface INeverLogGrain : IGrainWithStringKey
{
    [Alias("List")]
    Task<IReadOnlyList<NeverLogEntry>> List(string? userId);

    [Alias("Add")]
    Task<NeverLogAddResult> Add(string? userId, string value);

    /// <summary>Mail with the value is recorded again from now on; what was removed is not brought back.</summary>
    [Alias("Remove")]
    Task<bool> Remove(string? userId, string value);

    [Alias("GetInternalMail")]
    Task<InternalMail> GetInternalMail();

    [Alias("SetInternalMail")]
    Task SetInternalMail(InternalMail settings);

    [Alias("GetRemoval")]
    Task<NeverLogRemoval> GetRemoval();

    /// <summary>
    /// The lists and rule a batch of <paramref name="userId"/>'s mailbox is recorded under, as of the last change that
    /// returned. Answered from memory while a change or a removal step is under way.
    /// </summary>
    [AlwaysInterleave, Alias("GetRules")]
    Task<NeverLogSnapshot> GetRules(string userId);
}
