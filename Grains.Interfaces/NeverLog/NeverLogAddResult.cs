namespace MailSync.Grains.Interfaces.NeverLog;

/// <summary>What adding a never-log entry did, and the entry as listed (when it is: added or already listed).</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.NeverLogAddResult")]
public sealed record NeverLogAddResult([property: Id(0)] NeverLogAdded Outcome, [property: Id(1)] NeverLogEntry? Entry = null);
