namespace MailSync.Grains.Interfaces.Mailboxes;

public static class MailboxGrainFactoryExtensions
{
    /// <summary>The mailbox grain of one user of one company.</summary>
    public static IMailboxGrain GetMailbox(this IGrainFactory grains, string companyId, string userId) =>
        grains.GetGrain<IMailboxGrain>(new MailboxKey(companyId, userId).ToString());
}
