namespace MailSync.Grains.NeverLog;

/// <summary>
/// The never-log lists and internal-mail rule a company's grain last read, so that a batch asks memory, not storage:
/// three storage reads per batch that matched a lead were the slowest step of a pushed pass. The grain is the only
/// writer; it calls <see cref="Changed"/> after each change it stores (or tried to: a write that failed may have
/// landed), and a read begun before a change is neither kept
/// nor joined by a read that begins after it (<see cref="Generation"/>). Batches that find the company's part missing
/// at once share one read of it. What is held is read again after <see cref="Lifetime"/> (a second activation of the
/// grain, which Orleans may briefly allow while silos join or leave, is stale for no longer), and at most
/// <see cref="MaxUsers"/> users' lists are held, the least recently read dropped first.
/// </summary>
public sealed class NeverLogCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    public const int MaxUsers = 5_000;

    private (NeverLogCompanyRules Rules, DateTimeOffset ReadAt)? company;
    private (long Generation, Task<NeverLogCompanyRules> Read)? companyRead;
    private readonly Dictionary<string, LinkedListNode<(string UserId, IReadOnlyList<string> Values, DateTimeOffset ReadAt)>> users =
        new(StringComparer.Ordinal);
    private readonly LinkedList<(string UserId, IReadOnlyList<string> Values, DateTimeOffset ReadAt)> recent = new();

    /// <summary>Counts the changes stored so far.</summary>
    public long Generation { get; private set; }

    public int UsersHeld => users.Count;

    /// <summary>The company's part: held, or the read under way since the last change, or a new read.</summary>
    public Task<NeverLogCompanyRules> CompanyAsync(Func<Task<NeverLogCompanyRules>> read)
    {
        if (company is { } held && Fresh(held.ReadAt)) return Task.FromResult(held.Rules);
        if (companyRead is { } pending && pending.Generation == Generation && !pending.Read.IsCompleted)
            return pending.Read;
        var started = ReadCompanyAsync(Generation, read);
        companyRead = (Generation, started);
        return started;
    }

    /// <summary>The user's own list when the company's part does not hold every user's: held, or read now.</summary>
    public async Task<IReadOnlyList<string>> UserAsync(string userId, Func<Task<IReadOnlyList<string>>> read)
    {
        if (users.TryGetValue(userId, out var node) && Fresh(node.Value.ReadAt))
        {
            recent.Remove(node);
            recent.AddFirst(node);
            return node.Value.Values;
        }
        var generation = Generation;
        var values = await read();
        if (generation != Generation) return values;
        Forget(userId);
        if (users.Count >= MaxUsers && recent.Last is { } oldest) Forget(oldest.Value.UserId);
        users[userId] = recent.AddFirst((userId, values, time.GetUtcNow()));
        return values;
    }

    /// <summary>
    /// A change of the company's list or rule (<paramref name="userId"/> null) or of one user's list was stored: the next
    /// read of it goes to storage (the company's part holds every user's list, so it is read again either way).
    /// </summary>
    public void Changed(string? userId)
    {
        Generation++;
        company = null;
        if (userId is not null) Forget(userId);
    }

    private async Task<NeverLogCompanyRules> ReadCompanyAsync(long generation, Func<Task<NeverLogCompanyRules>> read)
    {
        var found = await read();
        if (generation == Generation) company = (found, time.GetUtcNow());
        return found;
    }

    private void Forget(string userId)
    {
        if (!users.Remove(userId, out var node)) return;
        recent.Remove(node);
    }

    private bool Fresh(DateTimeOffset readAt) => time.GetUtcNow() - readAt < Lifetime;
}
