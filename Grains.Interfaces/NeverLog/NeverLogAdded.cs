namespace MailSync.Grains.Interfaces.NeverLog;

/// <summary>What adding a never-log entry did.</summary>
[GenerateSerializer]
[Alias("MailSync.NeverLogAdded")]
public enum NeverLogAdded
{
    Added,
    AlreadyListed,

    /// <summary>The list already holds <see cref="NeverLogValue.MaxEntries"/>; nothing was changed.</summary>
    ListFull,

    /// <summary>Too many removals are still owed (NeverLogGrain.MaxTargetsWaiting); nothing was changed: try again later.</summary>
    RemovalsBacklogged,
}
