using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Grains.Mailboxes;

/// <summary>The newest <see cref="Capacity"/> errors of a mailbox, oldest first in storage.</summary>
[GenerateSerializer]
[Alias("MailSync.ErrorLog")]
public sealed class ErrorLog
{
    public const int Capacity = 100;

    [Id(0)] public List<MailboxError> Entries { get; set; } = [];

    public MailboxError? Newest => Entries.Count > 0 ? Entries[^1] : null;

    public void Add(MailboxError error)
    {
        Entries.Add(error);
        if (Entries.Count > Capacity) Entries.RemoveRange(0, Entries.Count - Capacity);
    }

    /// <summary>
    /// Adds a warning unless the same one (code and detail) was logged within <paramref name="repeatsAfter"/>; returns
    /// whether it was added.
    /// </summary>
    public bool AddWarning(MailboxError warning, TimeSpan repeatsAfter)
    {
        var repeated = Entries.Any(e =>
            e.Code == warning.Code && e.Detail == warning.Detail && warning.OccurredAt - e.OccurredAt < repeatsAfter);
        if (!repeated) Add(warning);
        return !repeated;
    }

    public IReadOnlyList<MailboxError> NewestFirst(int limit) =>
        [.. Enumerable.Reverse(Entries).Take(Math.Clamp(limit, 0, Capacity))];
}
