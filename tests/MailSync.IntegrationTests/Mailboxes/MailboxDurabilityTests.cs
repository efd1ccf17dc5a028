using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Mailboxes;

/// <summary>A real silo on Azurite with the real IMAP connector, restarted in the middle.</summary>
[Trait("Category", "Servers")]
public sealed class MailboxDurabilityTests
{
    [Fact]
    public async Task Status_Pending_queue_failure_streak_and_error_log_survive_a_silo_restart_and_no_password_is_stored_in_plain()
    {
        var settings = AzuriteSilo.NewSettings();
        var companyId = $"co-{Guid.NewGuid():N}";
        const string password = "Plaintext-Canary-Pa55word";
        // Nobody listens on this port: every attempt of ann fails with ConnectionRefused.
        var closed = new ImapEndpoint("127.0.0.1", FreePort.Next(), ImapSecurity.Ssl);
        MailboxCredentials Credentials(string user) => new(MailboxProvider.Custom, $"{user}@acme.test", user, password, closed);

        MailboxView annBefore;
        IReadOnlyList<MailboxError> errorsBefore;
        await using (var silo = new AzuriteSilo(settings))
        {
            await silo.StartAsync();
            var company = new TestCompany(silo.Grains, companyId);
            await company.Grain.Upsert("Durable", 1);
            await company.Mailbox("ann").Connect(Credentials("ann"));
            await company.Mailbox("bob").Connect(Credentials("bob"));
            await company.Mailbox("cat").Connect(Credentials("cat"));
            annBefore = await Poll.UntilAsync(() => company.Status("ann"), v => v.Status == MailboxStatus.Error, TimeSpan.FromSeconds(30), "ann failed");
            errorsBefore = await company.Mailbox("ann").GetErrors(100);
        }

        await using (var restarted = new AzuriteSilo(settings))
        {
            await restarted.StartAsync();
            var company = new TestCompany(restarted.Grains, companyId);

            var ann = await company.Status("ann");
            var overview = await company.Grain.GetOverview();

            Assert.Equal(MailboxStatus.Error, ann.Status);
            Assert.Equal(annBefore.FailingSince, ann.FailingSince);
            Assert.Equal(MailboxErrorCode.ConnectionRefused, ann.LastError!.Code);
            Assert.Equal(errorsBefore, await company.Mailbox("ann").GetErrors(100));
            Assert.Equal(["bob", "cat"], overview.Pending);
            Assert.Equal(["ann"], await company.SeatHolders("ann", "bob", "cat"));
            Assert.Equal(MailboxStatus.Pending, (await company.Status("bob")).Status);
            Assert.Equal(MailboxStatus.Pending, (await company.Status("cat")).Status);
        }

        var table = new TableServiceClient(TestServices.Current.TablesConnectionString).GetTableClient("OrleansGrainState");
        var stored = new List<string>();
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            if (entity.PartitionKey.Contains(companyId) || ((IDictionary<string, object>)entity).Values.OfType<string>().Any(v => v.Contains(companyId)))
                stored.AddRange(((IDictionary<string, object>)entity).Values.OfType<string>());
        }
        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, value => value.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(stored, value => value.Contains(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(password)), StringComparison.Ordinal));
    }
}
