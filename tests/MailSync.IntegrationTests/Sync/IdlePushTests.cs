using MailSync.Grains.Interfaces.Timeline;
using MailSync.Grains.Leads;
using MailSync.Grains.Sync;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Sync;

/// <summary>
/// Push, not only poll: between passes the mailbox's kept session watches INBOX with IMAP IDLE (Dovecot here), so new mail
/// reaches the lead's timeline in seconds although the next poll is ten minutes away.
/// </summary>
[Trait("Category", "Servers")]
public sealed class IdlePushTests
{
    /// <summary>Generous for a slow machine, yet well inside the ten-minute poll interval: only a push delivers this soon.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task New_mail_reaches_the_timeline_within_seconds_while_the_next_poll_is_ten_minutes_away_again_and_again_on_one_login_closed_at_disconnect()
    {
        var leads = new DictionaryLeadResolver();
        leads.Add("lee", "lee@lead.example");
        await using var silo = new AzuriteSilo(Settings(watching: 10), services => services.AddSingleton<ILeadResolver>(leads));
        await silo.StartAsync();
        var pool = silo.Services.GetRequiredService<ImapSessionPool>();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        var (user, password) = Dovecot.CreateUser("push");
        var me = Dovecot.Address(user);
        var mailbox = company.Mailbox(user);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.LastSyncAt is not null, Deadline, "first sync");
        var logins = pool.Logins;

        var timeline = silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id);
        foreach (var subject in new[] { "first push", "second push" })
        {
            // Dovecot on maildir tells of mail dropped between the watch's EXAMINE and its IDLE only at the next change.
            await Poll.UntilAsync(() => Task.FromResult(pool.Idling), n => n == 1, Deadline, "INBOX watched (its IDLE running)");
            Dovecot.Plant(user, Mail.Message("lee@lead.example", [me], subject, DateTimeOffset.UtcNow));
            await Poll.UntilAsync(() => timeline.GetPage("lee", 10, null), p => p.Items.Any(e => e.Subject == subject), Deadline, $"{subject} on the timeline");
        }
        // The timeline is written before the pass records its outcome.
        var status = await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 2, Deadline, "both passes recorded");

        Assert.Equal(2, status.MessagesSynced);
        Assert.True(status.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(5), $"next poll at {status.NextAttemptAt}: the mail came by push, not a poll");
        Assert.Equal(logins, pool.Logins);
        Assert.Empty(await mailbox.GetErrors(10));

        await mailbox.Disconnect(keepHistory: true);
        Assert.Equal(0, pool.IdleCount); // no login of a disconnected mailbox stays open
        await Poll.UntilAsync(() => Task.FromResult(pool.Watching), n => n == 0, Deadline, "the watch ended with the disconnect");
    }

    [Fact]
    public async Task On_Gmail_All_Mail_is_watched_so_mail_sent_from_any_Gmail_client_is_pushed_too()
    {
        var leads = new DictionaryLeadResolver();
        leads.Add("lee", "lee@lead.example");
        await using var silo = new AzuriteSilo(Settings(watching: null), services => services.AddSingleton<ILeadResolver>(leads));
        await silo.StartAsync();
        var pool = silo.Services.GetRequiredService<ImapSessionPool>();
        var company = new TestCompany(silo.Grains);
        await company.Grain.Upsert("Acme", 1);
        var (user, password) = Dovecot.CreateGmailUser("gpush");
        Dovecot.CreateFolder(user, "Sent Mail");
        var me = Dovecot.Address(user);
        var mailbox = company.Mailbox(user);
        await mailbox.Connect(Dovecot.Credentials(user, password));
        await Poll.UntilAsync(mailbox.GetStatus, v => v.LastSyncAt is not null, Deadline, "first sync");
        await Poll.UntilAsync(() => Task.FromResult(pool.Idling), n => n == 1, Deadline, "All Mail watched (its IDLE running)");

        // Over IMAP, as Gmail files what any of its clients sends: a file dropped into the maildir would not tell the
        // virtual All Mail's watchers (Gmail's own All Mail hears of every message).
        await Dovecot.ChangeFoldersAsync(user, password, async client =>
            await (await client.GetFolderAsync("Sent Mail")).AppendAsync(
                new MailKit.AppendRequest(Mail.Message(me, ["lee@lead.example"], "sent from the phone", DateTimeOffset.UtcNow))));
        var timeline = silo.Grains.GetGrain<ITimelineReaderGrain>(company.Id);
        await Poll.UntilAsync(() => timeline.GetPage("lee", 10, null), p => p.Items.Any(e => e.Subject == "sent from the phone"), Deadline,
            "the sent message on the timeline");
        var status = await Poll.UntilAsync(mailbox.GetStatus, v => v.MessagesSynced == 1, Deadline, "the pass recorded");

        Assert.True(status.NextAttemptAt > DateTimeOffset.UtcNow.AddMinutes(5), $"next poll at {status.NextAttemptAt}: the mail came by push");
        Assert.Empty(await mailbox.GetErrors(10));
    }

    private static Dictionary<string, string?> Settings(int? watching) => new(AzuriteSilo.NewSettings())
    {
        ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
        ["MailSync:PollInterval"] = "00:10:00",
        ["MailSync:IdleSessionTimeout"] = "00:20:00",
        ["MailSync:MaxWatchingSessionsPerSilo"] = watching?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
