using MailSync.Grains.Interfaces.NeverLog;
using MailSync.Grains.Timeline;

namespace MailSync.Grains.NeverLog;

/// <summary>
/// One pass over a company's timeline removing what was recorded with its <see cref="Targets"/>: it starts at
/// <see cref="NotBefore"/>, and <see cref="From"/> is where its next bounded step goes on (null: the start, or not started).
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.NeverLogSweep")]
public sealed record NeverLogSweep(
    [property: Id(0)] IReadOnlyList<NeverLogTarget> Targets,
    [property: Id(1)] DateTimeOffset NotBefore,
    [property: Id(2)] string? From = null)
{
    public bool Started => From is not null;

    /// <summary>A stored row is doomed when one of its addresses is a target's, and the target is the company's or its user's.</summary>
    public Func<TimelineParticipants, bool> Matcher()
    {
        var company = Targets.Where(t => t.UserId is null).Select(t => t.Value).ToHashSet(StringComparer.Ordinal);
        var users = Targets.Where(t => t.UserId is not null).GroupBy(t => t.UserId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(t => t.Value).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        return row =>
        {
            var own = users.GetValueOrDefault(row.UserId);
            return row.Addresses.Any(address =>
            {
                var normalized = NeverLogValue.OfAddress(address);
                return NeverLogValue.Covers(company, normalized) || (own is not null && NeverLogValue.Covers(own, normalized));
            });
        };
    }
}

/// <summary>A never-log value of the company's list (<see cref="UserId"/> null) or of one user's.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.NeverLogTarget")]
public sealed record NeverLogTarget([property: Id(0)] string? UserId, [property: Id(1)] string Value);
