using System.Text.Json;

namespace MailSync.Grains.Timeline;

/// <summary>
/// A place in the timeline table's key order (partition, row), as the opaque position a deletion step hands to the next.
/// Deletions go in key order, so everything of the user before the position is already gone.
/// </summary>
public static class TimelinePosition
{
    public static string Encode(string partitionKey, string rowKey) => JsonSerializer.Serialize(new[] { partitionKey, rowKey });

    /// <summary>The keys, or null for no position (or one that is not ours: then the step starts over, which is safe).</summary>
    public static (string PartitionKey, string RowKey)? Decode(string? position)
    {
        if (string.IsNullOrEmpty(position)) return null;
        try
        {
            return JsonSerializer.Deserialize<string[]>(position) is [{ } partition, { } row] ? (partition, row) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
