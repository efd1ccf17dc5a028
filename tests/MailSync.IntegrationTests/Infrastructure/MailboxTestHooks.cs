using Orleans.Concurrency;
using MailSync.Grains.Mailboxes;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>Test-only calls on a mailbox grain, installed on the test cluster's silos (never in production).</summary>
[Alias("MailSync.Tests.IMailboxTestHooks")]
public interface IMailboxTestHooks : IGrainExtension
{
    /// <summary>
    /// Does what the mailbox's timer does when it fires: tests move the fake clock, then wake the mailbox. Interleaved, as
    /// the timer is: grain calls run while the wake-up's pass waits.
    /// </summary>
    [AlwaysInterleave, Alias("Wake")]
    Task Wake();

    /// <summary>
    /// What the mailbox's IDLE watch does when the server announces new mail, but awaitable: interleaved, as the watch's
    /// one-way call runs while a pass waits.
    /// </summary>
    [AlwaysInterleave, Alias("AnnounceMail")]
    Task AnnounceMail();
}

public sealed class MailboxTestHooks(IGrainContext context) : IMailboxTestHooks
{
    public Task Wake() => ((MailboxGrain)context.GrainInstance!).WakeAsync();

    public Task AnnounceMail() => ((MailboxGrain)context.GrainInstance!).MailArrived();
}
