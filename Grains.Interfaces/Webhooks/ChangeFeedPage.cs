namespace MailSync.Grains.Interfaces.Webhooks;

/// <summary>
/// A page of the change feed; <see cref="Next"/> is the cursor to ask with next (the same when nothing came). When the
/// retention removed changes after the cursor asked with, the page is a gap instead: no items, and <see cref="Gap"/> the
/// oldest cursor still kept, to continue from once the consumer has read the statuses again.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.ChangeFeedPage")]
public sealed record ChangeFeedPage(
    [property: Id(0)] IReadOnlyList<StatusChange> Items, [property: Id(1)] long Next, [property: Id(2)] long? Gap = null);
