using MailKit;
using MailSync.Testing;
using MimeKit;

namespace MailSync.IntegrationTests.Foundation;

[Trait("Category", "Servers")]
public sealed class DovecotTests
{
    [Fact]
    public async Task A_message_planted_in_the_Maildir_is_read_back_with_MailKit()
    {
        var (user, password) = Dovecot.CreateUser("smoke");
        var message = new MimeMessage
        {
            Subject = "Quarterly numbers",
            Date = new DateTimeOffset(2026, 11, 20, 9, 30, 0, TimeSpan.Zero),
            MessageId = $"{Guid.NewGuid():N}@lead.example",
            Body = new TextPart("plain") { Text = "See attached." },
        };
        message.From.Add(new MailboxAddress("Lee Lead", "lee@lead.example"));
        message.To.Add(new MailboxAddress("Ann", $"{user}@acme.test"));
        Dovecot.Plant(user, message);

        using var client = await Dovecot.ConnectAsync(user, password);
        var inbox = client.Inbox;
        await inbox.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope);

        var envelope = Assert.Single(summaries).Envelope!;
        Assert.Equal("Quarterly numbers", envelope.Subject);
        Assert.Equal(message.MessageId, envelope.MessageId);
        Assert.Equal("lee@lead.example", envelope.From.Mailboxes.Single().Address);
        Assert.True(client.Capabilities.HasFlag(MailKit.Net.Imap.ImapCapabilities.CondStore));
        Assert.NotNull(client.GetFolder(SpecialFolder.Sent));
    }

    [Fact]
    public async Task A_wrong_password_is_rejected_by_the_server()
    {
        var (user, _) = Dovecot.CreateUser("wrongpw");

        await Assert.ThrowsAsync<MailKit.Security.AuthenticationException>(() => Dovecot.ConnectAsync(user, "not-the-password"));
    }
}
