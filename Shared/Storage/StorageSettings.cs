namespace MailSync.Shared.Storage;

/// <summary>
/// Configuration section <c>Storage</c>. A connection string means Azure Table storage for everything (membership,
/// grain state, reminders, leads, timelines); none means the zero-dependency development mode (memory).
/// </summary>
public sealed class StorageSettings
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    /// <summary>
    /// Another storage account for grain state (every mailbox's periodic state write, the largest share of the cluster's
    /// storage traffic in docs/capacity.md); none = the account of <see cref="ConnectionString"/>.
    /// </summary>
    public string? GrainStateConnectionString { get; set; }

    /// <summary>The key of the grain-state account's client in the service collection (keyed singleton).</summary>
    public const string GrainStateClientKey = "grain-state";

    public bool UsesAzureTables => !string.IsNullOrWhiteSpace(ConnectionString);
}
