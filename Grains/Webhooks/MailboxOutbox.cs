using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Interfaces.Webhooks;

namespace MailSync.Grains.Webhooks;

/// <summary>
/// Part of the mailbox's persisted state: the events of its changes not yet handed to the company's event log. Written in
/// the same state write as the change itself, so a crash between the change and its delivery loses neither.
/// </summary>
[GenerateSerializer]
[Alias("MailSync.MailboxOutbox")]
public sealed class MailboxOutbox
{
    /// <summary>Events kept at most; beyond it the oldest are dropped (the company's log has been unreachable for that long).</summary>
    public const int Capacity = 100;

    /// <summary>The status the last status event announced; null for a mailbox older than its outbox (set on activation).</summary>
    [Id(0)] public MailboxStatus? LastStatus { get; set; }

    /// <summary>Numbers this mailbox's events (part of their ids).</summary>
    [Id(1)] public long NextSequence { get; set; } = 1;

    [Id(2)] public List<MailboxEvent> Pending { get; set; } = [];

    /// <summary>Events dropped over <see cref="Capacity"/> since the mailbox was created.</summary>
    [Id(3)] public long Dropped { get; set; }

    /// <summary>Adds an event with the next id; true when an old one had to go for it.</summary>
    public bool Add(MailboxKey key, string type, DateTimeOffset at, string data, MailboxStatus? oldStatus = null,
        MailboxStatus? newStatus = null, MailboxErrorCode? code = null)
    {
        Pending.Add(new MailboxEvent(
            MailboxEventPayloads.EventId(key, NextSequence++), type, key.UserId, at, data, oldStatus, newStatus, code));
        if (Pending.Count <= Capacity) return false;
        Pending.RemoveAt(0);
        Dropped++;
        return true;
    }
}
