namespace MailSync.Grains.Leads;

/// <summary>What survives the activation of a company's backfill: counts only (the round's mailboxes are listed again).</summary>
[GenerateSerializer]
[Alias("MailSync.LeadBackfillState")]
public sealed class LeadBackfillState
{
    [Id(0)] public int Round { get; set; }

    [Id(1)] public bool Running { get; set; }

    [Id(2)] public long LeadsInRound { get; set; }

    [Id(3)] public long LeadsWaiting { get; set; }

    [Id(4)] public int Mailboxes { get; set; }

    [Id(5)] public int MailboxesDone { get; set; }

    [Id(6)] public DateTimeOffset? StartedAt { get; set; }

    [Id(7)] public DateTimeOffset? FinishedAt { get; set; }
}
