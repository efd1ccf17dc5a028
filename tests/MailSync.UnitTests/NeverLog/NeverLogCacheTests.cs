using MailSync.Grains.Interfaces.NeverLog;
using MailSync.Grains.NeverLog;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.UnitTests.NeverLog;

public sealed class NeverLogCacheTests
{
    private readonly FakeTimeProvider time = new();
    private int companyReads;
    private int userReads;

    private Task<NeverLogCompanyRules> ReadCompany(params string[] values)
    {
        companyReads++;
        return Task.FromResult(new NeverLogCompanyRules(values, new InternalMail(["acme.test"], false), null));
    }

    private Task<IReadOnlyList<string>> ReadUser(params string[] values)
    {
        userReads++;
        return Task.FromResult<IReadOnlyList<string>>(values);
    }

    [Fact]
    public async Task What_was_read_is_answered_from_memory_until_its_lifetime_ends()
    {
        var cache = new NeverLogCache(time);
        Assert.Equal(["spam.example"], (await cache.CompanyAsync(() => ReadCompany("spam.example"))).Values);
        Assert.Equal(["lee@lead.example"], await cache.UserAsync("ann", () => ReadUser("lee@lead.example")));

        time.Advance(NeverLogCache.Lifetime - TimeSpan.FromSeconds(1));
        var company = await cache.CompanyAsync(() => ReadCompany("other.example"));
        Assert.Equal(["spam.example"], company.Values);
        Assert.Equal(["acme.test"], company.InternalMail.Domains);
        Assert.Equal(["lee@lead.example"], await cache.UserAsync("ann", () => ReadUser()));
        Assert.Equal((1, 1), (companyReads, userReads));
        Assert.Empty(await cache.UserAsync("bob", () => ReadUser()));
        Assert.Equal(2, userReads);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["other.example"], (await cache.CompanyAsync(() => ReadCompany("other.example"))).Values);
        Assert.Empty(await cache.UserAsync("ann", () => ReadUser()));
        Assert.Equal((2, 3), (companyReads, userReads));
    }

    [Fact]
    public async Task A_change_sends_the_next_read_of_that_list_and_of_the_company_part_to_storage()
    {
        var cache = new NeverLogCache(time);
        await cache.CompanyAsync(() => ReadCompany());
        await cache.UserAsync("ann", () => ReadUser());
        await cache.UserAsync("bob", () => ReadUser());

        // The company's part may hold every user's list, so a user's change reads it again too.
        cache.Changed("ann");
        Assert.Equal(["lee@lead.example"], await cache.UserAsync("ann", () => ReadUser("lee@lead.example")));
        await cache.UserAsync("bob", () => ReadUser("not read"));
        await cache.CompanyAsync(() => ReadCompany());
        Assert.Equal((2, 3), (companyReads, userReads));

        cache.Changed(null);
        Assert.Equal(["spam.example"], (await cache.CompanyAsync(() => ReadCompany("spam.example"))).Values);
        await cache.UserAsync("bob", () => ReadUser("not read"));
        Assert.Equal((3, 3), (companyReads, userReads));
    }

    [Fact]
    public async Task Batches_missing_the_company_part_share_one_read_but_never_one_begun_before_a_change()
    {
        var cache = new NeverLogCache(time);
        var slow = new TaskCompletionSource<NeverLogCompanyRules>();
        var first = cache.CompanyAsync(() => { companyReads++; return slow.Task; });
        var second = cache.CompanyAsync(() => ReadCompany("not read"));
        Assert.Equal(1, companyReads);

        // An entry added while that read is under way: a batch asking after the add must not get the read's answer.
        cache.Changed(null);
        var third = cache.CompanyAsync(() => ReadCompany("spam.example"));
        slow.SetResult(new NeverLogCompanyRules([], InternalMail.Default, null));

        Assert.Empty((await first).Values);
        Assert.Empty((await second).Values);
        Assert.Equal(["spam.example"], (await third).Values);
        Assert.Equal(["spam.example"], (await cache.CompanyAsync(() => ReadCompany("not read"))).Values);
        Assert.Equal(2, companyReads);
    }

    [Fact]
    public async Task A_users_list_read_before_a_change_to_it_is_not_kept()
    {
        var cache = new NeverLogCache(time);
        var slow = new TaskCompletionSource<IReadOnlyList<string>>();
        var before = cache.UserAsync("ann", () => slow.Task);
        cache.Changed("ann");
        slow.SetResult([]);
        Assert.Empty(await before);

        Assert.Equal(["lee@lead.example"], await cache.UserAsync("ann", () => ReadUser("lee@lead.example")));
        Assert.Equal(1, userReads);
    }

    [Fact]
    public async Task A_failed_read_is_not_shared_with_the_next_batch()
    {
        var cache = new NeverLogCache(time);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            cache.CompanyAsync(() => Task.FromException<NeverLogCompanyRules>(new InvalidOperationException())));

        Assert.Equal(["spam.example"], (await cache.CompanyAsync(() => ReadCompany("spam.example"))).Values);
    }

    [Fact]
    public async Task At_most_the_bound_of_users_lists_is_held_the_least_recently_read_dropped_first()
    {
        var cache = new NeverLogCache(time);
        for (var i = 0; i < NeverLogCache.MaxUsers; i++) await cache.UserAsync($"user-{i}", () => ReadUser());
        await cache.UserAsync("user-0", () => ReadUser()); // read again: now the most recent
        await cache.UserAsync("one-more", () => ReadUser());
        Assert.Equal(NeverLogCache.MaxUsers + 1, userReads);
        Assert.Equal(NeverLogCache.MaxUsers, cache.UsersHeld);

        await cache.UserAsync("user-0", () => ReadUser());
        await cache.UserAsync("one-more", () => ReadUser());
        Assert.Equal(NeverLogCache.MaxUsers + 1, userReads);
        await cache.UserAsync("user-1", () => ReadUser());
        Assert.Equal(NeverLogCache.MaxUsers + 2, userReads);
    }
}
