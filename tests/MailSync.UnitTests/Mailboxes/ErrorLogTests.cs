using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Mailboxes;

namespace MailSync.UnitTests.Mailboxes;

public sealed class ErrorLogTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static MailboxError Warning(DateTimeOffset at, string detail = "no Sent folder") =>
        new(at, MailboxErrorCode.SentFolderMissing, "message", "fix", detail, 1);

    [Fact]
    public void A_lasting_warning_is_logged_once_a_day_not_on_every_poll()
    {
        var log = new ErrorLog();

        Assert.True(log.AddWarning(Warning(Now), TimeSpan.FromDays(1)));
        Assert.False(log.AddWarning(Warning(Now.AddMinutes(5)), TimeSpan.FromDays(1)));
        Assert.True(log.AddWarning(Warning(Now.AddMinutes(5), "another message"), TimeSpan.FromDays(1)));
        Assert.True(log.AddWarning(Warning(Now.AddDays(1)), TimeSpan.FromDays(1)));
        Assert.Equal(3, log.Entries.Count);
    }

    [Fact]
    public void The_log_keeps_the_newest_hundred()
    {
        var log = new ErrorLog();
        for (var i = 0; i < 150; i++) log.Add(Warning(Now.AddMinutes(i), $"e{i}"));

        Assert.Equal(ErrorLog.Capacity, log.Entries.Count);
        Assert.Equal("e149", log.NewestFirst(1)[0].Detail);
        Assert.Equal("e50", log.NewestFirst(500)[^1].Detail);
    }
}
