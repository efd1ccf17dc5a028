namespace MailSync.Grains.Interfaces.Companies;

/// <summary>The company's answer to a seat request: granted, or queued at a 1-based position.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.SeatDecision")]
public sealed record SeatDecision([property: Id(0)] bool Granted, [property: Id(1)] int QueuePosition)
{
    public static SeatDecision Grant { get; } = new(true, 0);

    public static SeatDecision Queued(int position) => new(false, position);
}
