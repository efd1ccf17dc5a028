namespace MailSync.Grains.Interfaces.Scheduling;

/// <summary>
/// A mailbox's answer to its keeper: the silo it is active on, whether it polls (a keeper drops one that no longer does),
/// and the sequence of this report, so an older Watch or Unwatch arriving later does not undo it.
/// </summary>
[GenerateSerializer, Immutable, Alias("MailSync.ResumeAnswer")]
public sealed record ResumeAnswer([property: Id(0)] SiloAddress Silo, [property: Id(1)] bool Polls, [property: Id(2)] long Sequence);
