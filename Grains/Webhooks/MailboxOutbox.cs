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
    /// <summary>
    /// Message events a pass adds before it hands off what the outbox holds (and stops if the company's log does not take
    /// it), so a batch of many leads loses none and the state stays small.
    /// </summary>
    public const int Capacity = 100;

    /// <summary>
    /// Events kept at most. Past <see cref="Capacity"/> only status changes and error-log entries come, at most a few per
    /// attempt, so this is days of an unreachable company log; beyond it the oldest go (counted and logged).
    /// </summary>
    public const int Limit = 1000;

    /// <summary>The status the last status event announced; null for a mailbox older than its outbox (set on activation).</summary>
    [Id(0)] public MailboxStatus? LastStatus { get; set; }

    /// <summary>Numbers this mailbox's events (part of their ids).</summary>
    [Id(1)] public long NextSequence { get; set; } = 1;

    [Id(2)] public List<MailboxEvent> Pending { get; set; } = [];

    /// <summary>Events dropped over <see cref="Limit"/> since the mailbox was created.</summary>
    [Id(3)] public long Dropped { get; set; }

    /// <summary>Adds an event with the next id; true when an old one had to go for it.</summary>
    public bool Add(MailboxKey key, string type, DateTimeOffset at, string data, MailboxStatus? oldStatus = null,
        MailboxStatus? newStatus = null, MailboxErrorCode? code = null)
    {
        Pending.Add(new MailboxEvent(
            MailboxEventPayloads.EventId(key, NextSequence++), type, key.UserId, at, data, oldStatus, newStatus, code));
        if (Pending.Count <= Limit) return false;
        Pending.RemoveAt(0);
        Dropped++;
        return true;
    }
}
