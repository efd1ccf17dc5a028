using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>Shortcuts for the grains of one test company with a fresh id.</summary>
public sealed class TestCompany(IGrainFactory grains, string? id = null)
{
    public string Id { get; } = id ?? $"co-{Guid.NewGuid():N}";

    public ICompanyGrain Grain => grains.GetGrain<ICompanyGrain>(Id);

    public MailboxKey Key(string userId) => new(Id, userId);

    public IMailboxGrain Mailbox(string userId) => grains.GetMailbox(Id, userId);

    public Task<MailboxView> Connect(string userId, string password = "s3cret-Passw0rd") =>
        Mailbox(userId).Connect(Credentials(userId, password));

    public static MailboxCredentials Credentials(string userId, string password) => new(
        MailboxProvider.Custom, $"{userId}@acme.test", userId, password, new ImapEndpoint("127.0.0.1", 993, ImapSecurity.Ssl));

    public Task<MailboxView> Status(string userId) => Mailbox(userId).GetStatus();

    /// <summary>Those of <paramref name="users"/> the company counts as seat holders, in the order given.</summary>
    public async Task<string[]> SeatHolders(params string[] users) =>
        [.. users.Zip(await Task.WhenAll(users.Select(Grain.HoldsSeat))).Where(u => u.Second).Select(u => u.First)];

    /// <summary>Stands in for the mailbox's timer (needs <see cref="IMailboxTestHooks"/> on the silos).</summary>
    public Task Wake(string userId) => Mailbox(userId).AsReference<IMailboxTestHooks>().Wake();
}
