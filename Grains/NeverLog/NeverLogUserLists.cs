using MailSync.Grains.Storage;

namespace MailSync.Grains.NeverLog;

/// <summary>
/// Every user's own never-log list of one company, read as one key range when they hold at most
/// <see cref="MaxRows"/> entries in all (most users list nothing): then no batch reads a list of its own.
/// </summary>
public sealed class NeverLogUserLists(IReadOnlyDictionary<string, IReadOnlyList<string>> byEscapedUser)
{
    public const int MaxRows = 1_000;

    public IReadOnlyList<string> For(string userId) =>
        byEscapedUser.TryGetValue(TableKeys.Escape(userId), out var values) ? values : [];
}
