using System.Diagnostics.Metrics;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.Shared.Diagnostics;

/// <summary>The service's own metrics (meter <c>MailSync</c>), exported at /metrics with ASP.NET Core's and Orleans'.</summary>
public static class MailSyncMetrics
{
    public const string MeterName = "MailSync";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Attempts = Meter.CreateCounter<long>("mailsync.sync.attempts",
        description: "Sync attempts by outcome (ok or an error code).");
    private static readonly Counter<long> Messages = Meter.CreateCounter<long>("mailsync.sync.messages",
        description: "Messages read by sync passes.");
    // Seconds-scale bounds: the exporter's default ones (0, 5, 10, 25 ...) would put every pass in the first bucket.
    private static readonly InstrumentAdvice<double> Seconds =
        new() { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120, 300] };
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("mailsync.sync.duration", "s",
        "Duration of sync attempts.", advice: Seconds);
    private static readonly Histogram<double> PushDelay = Meter.CreateHistogram<double>("mailsync.sync.push_delay", "s",
        "From an IDLE watch announcing new mail to the end of the pass that synced it.", advice: Seconds);
    private static readonly Histogram<double> PushStart = Meter.CreateHistogram<double>("mailsync.sync.push_start", "s",
        "From an IDLE watch announcing new mail to the start of the pass that syncs it.", advice: Seconds);
    private static readonly Histogram<double> Wait = Meter.CreateHistogram<double>("mailsync.sync.wait", "s",
        "How long a pass waited for its company's and IMAP host's share and a free pass slot of the silo before it could start.",
        advice: Seconds);
    private static readonly Histogram<double> Hold = Meter.CreateHistogram<double>("mailsync.sync.hold", "s",
        "How long a pass held its company's share and a pass slot (its time on the mail server): "
            + "passes per second times this is the share a company needs.",
        advice: Seconds);
    private static readonly Histogram<double> Step = Meter.CreateHistogram<double>("mailsync.sync.step", "s",
        "One step of a sync pass (session, open, search, fetch, leads, timeline, commit), "
            + "by step and by what started the pass (poll or push).",
        advice: Seconds);
    private static readonly Counter<long> Deferrals = Meter.CreateCounter<long>("mailsync.sync.deferrals",
        description: "Attempts deferred, by reason (Busy: no free IMAP connection; PlatformFault: our storage or a grain call failed).");
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>("mailsync.sync.lag", "s",
        "How late attempts start after they fell due.", advice: Seconds);
    private static readonly Counter<long> Logins = Meter.CreateCounter<long>("mailsync.imap.logins",
        description: "IMAP logins (a poll on a kept session makes none).");
    private static readonly Counter<long> Transitions = Meter.CreateCounter<long>("mailsync.mailbox.transitions",
        description: "Mailbox status changes by new status.");

    public static void Attempt(bool succeeded, MailboxErrorCode code, int messages, TimeSpan duration)
    {
        var outcome = new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : code.ToString());
        Attempts.Add(1, outcome);
        Duration.Record(duration.TotalSeconds, outcome);
        if (messages > 0) Messages.Add(messages);
    }

    public static void Deferral(string reason) => Deferrals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void AttemptLag(TimeSpan late) => Lag.Record(Math.Max(0, late.TotalSeconds));

    public static void MailPushed(TimeSpan announcedToSynced) => PushDelay.Record(Math.Max(0, announcedToSynced.TotalSeconds));

    public static void MailPushStarted(TimeSpan announcedToStart) => PushStart.Record(Math.Max(0, announcedToStart.TotalSeconds));

    public static void PassStep(string step, bool pushed, TimeSpan took) => Step.Record(Math.Max(0, took.TotalSeconds),
        new KeyValuePair<string, object?>("step", step), new KeyValuePair<string, object?>("trigger", pushed ? "push" : "poll"));

    public static void Waited(TimeSpan waited) => Wait.Record(Math.Max(0, waited.TotalSeconds));

    public static void Held(TimeSpan held) => Hold.Record(Math.Max(0, held.TotalSeconds));

    public static void Login() => Logins.Add(1);

    public static void Transition(MailboxStatus to) => Transitions.Add(1, new KeyValuePair<string, object?>("status", to.ToString()));
}
