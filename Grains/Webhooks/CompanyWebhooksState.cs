namespace MailSync.Grains.Webhooks;

[GenerateSerializer]
[Alias("MailSync.CompanyWebhooksState")]
public sealed class CompanyWebhooksState
{
    [Id(0)] public Dictionary<string, StoredSubscription> Subscriptions { get; set; } = [];

    /// <summary>Log positions up to this one are reserved: an activation continues after it, so positions only grow.</summary>
    [Id(1)] public long ReservedUpTo { get; set; }

    /// <summary>One mark an hour at most (newest last): how old the log's rows are, for the retention.</summary>
    [Id(2)] public List<LogMark> Marks { get; set; } = [];

    [Id(3)] public long Generations { get; set; }

    /// <summary>The log's floor as last written (see <see cref="EventLog.Floor"/>): rows before it may be gone.</summary>
    [Id(4)] public long FirstKept { get; set; } = 1;
}
