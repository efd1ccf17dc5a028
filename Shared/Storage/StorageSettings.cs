namespace MailSync.Shared.Storage;

/// <summary>
/// Configuration section <c>Storage</c>. A connection string means Azure Table storage for everything (membership,
/// grain state, reminders, leads, timelines); none means the zero-dependency development mode (memory).
/// </summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    public bool UsesAzureTables => !string.IsNullOrWhiteSpace(ConnectionString);
}
