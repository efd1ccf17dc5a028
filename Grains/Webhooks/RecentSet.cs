namespace MailSync.Grains.Webhooks;

/// <summary>The newest <c>capacity</c> strings added: the oldest goes when a new one comes, so memory stays bounded.</summary>
public sealed class RecentSet(int capacity)
{
    private readonly HashSet<string> members = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    public int Count => members.Count;

    public bool Contains(string value) => members.Contains(value);

    public void Add(string value)
    {
        if (!members.Add(value)) return;
        order.Enqueue(value);
        if (order.Count > capacity) members.Remove(order.Dequeue());
    }
}
