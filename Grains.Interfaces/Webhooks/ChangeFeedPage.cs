namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>A page of the change feed; <see cref="Next"/> is the cursor to ask with next (the same when nothing came).</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.ChangeFeedPage")]
public sealed record ChangeFeedPage([property: Id(0)] IReadOnlyList<StatusChange> Items, [property: Id(1)] long Next);
