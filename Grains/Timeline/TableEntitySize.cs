using Azure.Data.Tables;

namespace MailSync.Grains.Timeline;

/// <summary>
/// The size Azure Table storage gives an entity, by its documented rule
/// (learn.microsoft.com/rest/api/storageservices/understanding-the-table-service-data-model): 4 bytes plus 2 per
/// character of PartitionKey and RowKey, then per property 8 bytes plus 2 per character of its name plus its value
/// (a string 4 + 2 per UTF-16 character, binary 4 + its length, DateTime 8, Int32 4, Boolean 1, …). Azure refuses an
/// entity over 1 MiB, a string or binary value over 64 KiB, a key over 1 KiB: such an entity is refused up front
/// instead of failing the transaction of every entity sent with it.
/// </summary>
public static class TableEntitySize
{
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxPropertyBytes = 64 * 1024;
    public const int MaxKeyBytes = 1024;

    /// <summary>Why Azure would refuse the entity, in plain words; null when it fits.</summary>
    public static string? Refusal(TableEntity entity)
    {
        if (Of(entity) > MaxEntityBytes) return "the stored email would exceed Azure Table storage's 1 MiB entity limit";
        foreach (var (name, value) in Properties(entity))
        {
            if (value is string or byte[] or BinaryData && ValueBytes(value) > MaxPropertyBytes)
                return $"its {name} would exceed Azure Table storage's 64 KiB limit for one field";
        }
        if (2L * entity.PartitionKey.Length > MaxKeyBytes || 2L * entity.RowKey.Length > MaxKeyBytes)
            return "its lead or user id is too long for an Azure Table storage key (1 KiB)";
        return null;
    }

    /// <summary>The entity's size in bytes, keys included.</summary>
    public static long Of(TableEntity entity)
    {
        var size = 4 + 2L * (entity.PartitionKey.Length + entity.RowKey.Length);
        foreach (var (name, value) in Properties(entity)) size += 8 + 2L * name.Length + ValueBytes(value);
        return size;
    }

    /// <summary>One value's size; a null value is not stored.</summary>
    public static long ValueBytes(object? value) => value switch
    {
        null => 0,
        string s => 4 + 2L * s.Length,
        byte[] bytes => 4 + (long)bytes.Length,
        BinaryData data => 4 + data.ToMemory().Length,
        bool => 1,
        int => 4,
        long or double or DateTime or DateTimeOffset => 8,
        Guid => 16,
        _ => 4 + 2L * (value.ToString()?.Length ?? 0),
    };

    /// <summary>The properties that count as such: the keys are counted apart, Timestamp and the ETag are the service's.</summary>
    private static IEnumerable<KeyValuePair<string, object?>> Properties(TableEntity entity) =>
        entity.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag") && p.Value is not null);
}
