using Azure;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Leads;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>A real silo on Azurite polling a real Dovecot mailbox every second: what each poll writes to grain storage.</summary>
[Trait("Category", "Servers")]
public sealed class QuietPollTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Polls_that_find_nothing_new_write_no_grain_state_while_a_new_message_does()
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["MailSync:PollInterval"] = "00:00:01",
            ["MailSync:PollJitter"] = "0",
        };
        await using var silo = new AzuriteSilo(settings);
        await silo.StartAsync();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        await silo.Grains.GetGrain<ILeadDirectoryGrain>(company.Id).Upsert([new Lead("lee", "lee@lead.example", "Lee")]);
        var (user, password) = Dovecot.CreateUser("quiet");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "First", DateTimeOffset.UtcNow.AddHours(-2)));
        var mailbox = company.Mailbox(user);

        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 1, Deadline, "first message synced");
        // The new lead's backfill round asks the mailbox (a saved ask, and its answer): over before quiet polls are watched.
        await Poll.UntilAsync(silo.Grains.GetGrain<ILeadBackfillGrain>(company.Id).GetProgress, p => p.Round == 1 && !p.Running,
            Deadline, "the lead's backfill round over");
        var settled = await mailbox.GetStatus();
        var first = await Poll.UntilAsync(mailbox.GetStatus, v => v.LastSyncAt > settled.LastSyncAt, Deadline, "a poll after the round");
        var stored = await StateETagAsync(user);
        // Several polls later (each moves the last sync time the status shows), storage still holds the same row.
        var later = await Poll.UntilAsync(mailbox.GetStatus, v => v.LastSyncAt >= first.LastSyncAt + TimeSpan.FromSeconds(4), Deadline, "four more polls");
        var afterQuietPolls = await StateETagAsync(user);

        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "Second", DateTimeOffset.UtcNow.AddHours(-1)));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 2, Deadline, "second message synced");
        // The status is read interleaved with the pass: it may show the count while the write that stores it is in flight.
        await Poll.UntilAsync(() => StateETagAsync(user), e => e != stored, Deadline, "the new message's state written");

        Assert.Equal(MailboxStatus.Enabled, later.Status);
        Assert.Equal(stored, afterQuietPolls);
    }

    /// <summary>The ETag of the mailbox's grain-state row: it changes with every write.</summary>
    private static async Task<ETag> StateETagAsync(string user)
    {
        var table = new TableServiceClient(TestServices.Current.TablesConnectionString).GetTableClient("OrleansGrainState");
        List<ETag> found = [];
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            if ((row.PartitionKey + row.RowKey).Contains(user, StringComparison.Ordinal)) found.Add(row.ETag);
        }
        return Assert.Single(found);
    }
}
