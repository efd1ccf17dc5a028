using MailSync.Grains.Interfaces.NeverLog;
using MailSync.Grains.NeverLog;
using MailSync.Grains.Storage;

namespace MailSync.UnitTests.NeverLog;

public sealed class NeverLogUserListsTests
{
    [Fact]
    public async Task Every_users_list_is_read_at_once_while_they_hold_at_most_the_bound_in_all()
    {
        var rows = new NeverLogRows(new MemoryCompanyRows());
        await rows.AddAsync("acme", "ann|1", new NeverLogEntry("lee@lead.example", DateTimeOffset.UnixEpoch));
        await rows.AddAsync("acme", "ann|1", new NeverLogEntry("spam.example", DateTimeOffset.UnixEpoch));
        await rows.AddAsync("acme", "ann", new NeverLogEntry("other.example", DateTimeOffset.UnixEpoch));
        await rows.AddAsync("acme", null, new NeverLogEntry("company.example", DateTimeOffset.UnixEpoch));
        await rows.SetInternalMailAsync("acme", new InternalMail(["acme.test"], false));

        var users = await rows.ListUsersAsync("acme");

        Assert.NotNull(users);
        Assert.Equal(["lee@lead.example", "spam.example"], users.For("ann|1").Order());
        Assert.Equal(["other.example"], users.For("ann"));
        Assert.Empty(users.For("bob"));

        for (var i = 3; i < NeverLogUserLists.MaxRows; i++)
            await rows.AddAsync("acme", $"user-{i % 7}", new NeverLogEntry($"x{i}.example", DateTimeOffset.UnixEpoch));
        Assert.NotNull(await rows.ListUsersAsync("acme"));
        await rows.AddAsync("acme", "bob", new NeverLogEntry("one-more.example", DateTimeOffset.UnixEpoch));
        Assert.Null(await rows.ListUsersAsync("acme")); // past the bound: each user's list is read on its own
    }
}
