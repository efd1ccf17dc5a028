using MimeKit;

namespace MailSync.Testing;

/// <summary>Builds test messages.</summary>
public static class Mail
{
    public static MimeMessage Message(string from, string[] to, string subject, DateTimeOffset date, string[]? cc = null, string? messageId = null)
    {
        var message = new MimeMessage { Subject = subject, Date = date, Body = new TextPart("plain") { Text = subject } };
        message.MessageId = messageId ?? $"{Guid.NewGuid():N}@test.example";
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var address in to) message.To.Add(MailboxAddress.Parse(address));
        foreach (var address in cc ?? []) message.Cc.Add(MailboxAddress.Parse(address));
        return message;
    }
}
