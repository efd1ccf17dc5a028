namespace MailSync.Grains.NeverLog;

/// <summary>What survives a company's never-log activation: the removals still owed, and how much they removed.</summary>
[GenerateSerializer]
[Alias("MailSync.NeverLogState")]
public sealed class NeverLogState
{
    [Id(0)] public List<NeverLogSweep> Sweeps { get; set; } = [];

    [Id(1)] public long TimelineEntriesRemoved { get; set; }

    [Id(2)] public DateTimeOffset? FinishedAt { get; set; }

    public int TargetsWaiting => Sweeps.Sum(s => s.Targets.Count);
}
