namespace MailSync.Grains.Mailboxes;

/// <summary>A span during which a mailbox was billable; <see cref="End"/> null while it still is.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.BillingInterval")]
public sealed record BillingInterval([property: Id(0)] DateTimeOffset Start, [property: Id(1)] DateTimeOffset? End);
