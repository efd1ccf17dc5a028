using System.Diagnostics;

namespace MailSync.Shared.Diagnostics;

/// <summary>
/// The service's trace sources, one per area, and the names of the others a trace of it passes through (ASP.NET Core's
/// request, Orleans' grain calls). A connect or "sync now" is one trace: API request → grain calls → the sync pass it
/// causes (started with the request's context as parent, though a grain timer runs it) → IMAP session → timeline writes.
/// </summary>
public static class MailSyncActivities
{
    public const string PassSourceName = "MailSync.Mailboxes";
    public const string ImapSourceName = "MailSync.Imap";
    public const string StorageSourceName = "MailSync.Storage";

    /// <summary>Orleans' own grain-call sources (with <c>AddActivityPropagation</c> on silos and clients).</summary>
    public static readonly IReadOnlyList<string> OrleansSourceNames = ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>ASP.NET Core's request activity (API hosts only).</summary>
    public const string AspNetCoreSourceName = "Microsoft.AspNetCore";

    /// <summary>.NET's outgoing HTTP requests.</summary>
    public const string HttpClientSourceName = "System.Net.Http";

    public static readonly IReadOnlyList<string> OwnSourceNames = [PassSourceName, ImapSourceName, StorageSourceName];

    /// <summary>Sync passes of mailboxes.</summary>
    public static readonly ActivitySource Pass = new(PassSourceName);

    /// <summary>IMAP sessions: acquiring (connect, login or a kept session) and the folders' fetches.</summary>
    public static readonly ActivitySource Imap = new(ImapSourceName);

    /// <summary>Writes to our own Azure tables (the timeline).</summary>
    public static readonly ActivitySource Storage = new(StorageSourceName);

    /// <summary>
    /// A sync pass of one mailbox: a child of <paramref name="trigger"/> (the connect or "sync now" that asked for it), else
    /// the root of a trace of its own, never a child of whatever happens to be current on the timer's thread.
    /// </summary>
    public static Activity? StartPass(ActivityContext? trigger, string companyId, string userId)
    {
        if (!Pass.HasListeners()) return null;
        if (trigger is null) Activity.Current = null; // an async method's change stays in its own flow
        var activity = Pass.StartActivity("mailbox sync pass", ActivityKind.Internal, trigger ?? default);
        activity?.SetTag("mailsync.company_id", companyId);
        activity?.SetTag("mailsync.user_id", userId);
        return activity;
    }

    /// <summary>How the pass ended (<c>ok</c>, an error code, or why it was deferred); an error code marks the span failed.</summary>
    public static void PassEnded(Activity? pass, string outcome, bool failed, int messages)
    {
        if (pass is null) return;
        pass.SetTag("mailsync.outcome", outcome);
        pass.SetTag("mailsync.messages", messages);
        if (failed) pass.SetStatus(ActivityStatusCode.Error, outcome);
    }
}
