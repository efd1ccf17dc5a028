using System.Net;
using System.Text;
using MailSync.Grains.Auth;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Shared.Google;
using MailSync.Shared.MicrosoftIdentity;
using MailSync.Shared.Time;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.UnitTests.Auth;

public sealed class GoogleAccessTokensTests
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
    private int refreshes;

    private GoogleAccessTokens Tokens() => new(
        new GoogleTokenClient(Options.Create(new GoogleOptions { ClientId = "id", ClientSecret = "secret", TokenEndpoint = "https://token.test/token" }),
            new HttpClient(new TokenServer(() => Interlocked.Increment(ref refreshes)))),
        new MailSyncClock(time));

    [Fact]
    public async Task A_token_is_reused_while_it_lasts_and_expired_ones_leave_the_cache()
    {
        var tokens = Tokens();

        var first = await tokens.GetAsync("refresh-1", CancellationToken.None);
        var again = await tokens.GetAsync("refresh-1", CancellationToken.None);
        time.Advance(TimeSpan.FromHours(2));
        await tokens.GetAsync("refresh-2", CancellationToken.None);

        Assert.Equal(first, again);
        Assert.Equal(2, refreshes);
        Assert.Equal(1, tokens.Cached); // refresh-1's token expired an hour ago: gone, not kept for ever
    }

    [Fact]
    public async Task A_forgotten_token_is_refreshed_on_the_next_use_and_only_that_one()
    {
        var tokens = Tokens();
        var first = await tokens.GetAsync("refresh-1", CancellationToken.None);
        var other = await tokens.GetAsync("refresh-2", CancellationToken.None);

        tokens.Forget("refresh-1");
        var fresh = await tokens.GetAsync("refresh-1", CancellationToken.None);

        Assert.NotEqual(first, fresh);
        Assert.Equal(other, await tokens.GetAsync("refresh-2", CancellationToken.None));
        Assert.Equal(3, refreshes);
    }

    [Fact]
    public async Task After_a_refused_login_Google_sign_in_gets_one_fresh_token_and_a_password_login_no_second_try()
    {
        var authenticator = new MailboxAuthenticator(Tokens(), new MicrosoftAccessTokens(
            new MicrosoftTokenClient(Options.Create(new MicrosoftOptions()), new HttpClient()), new MailSyncClock(TimeProvider.System)));
        var imap = new ImapEndpoint("imap.test", 993, ImapSecurity.Ssl);
        var google = new MailboxCredentials(MailboxProvider.Google, "ann@gmail.test", "ann@gmail.test", "refresh-1", imap);
        var password = new MailboxCredentials(MailboxProvider.GoogleAppPassword, "ann@gmail.test", "ann@gmail.test", "app-password", imap);

        var cached = await authenticator.PrepareAsync(google, NoRotation, CancellationToken.None);
        var fresh = await authenticator.AfterRefusalAsync(google, NoRotation, CancellationToken.None);

        Assert.NotNull(fresh);
        Assert.NotEqual(cached.AccessToken, fresh.AccessToken);
        Assert.Null(await authenticator.AfterRefusalAsync(password, NoRotation, CancellationToken.None));
        Assert.Equal(2, refreshes);
    }

    private static Task NoRotation(string secret) => throw new InvalidOperationException("Google never rotates refresh tokens.");

    private sealed class TokenServer(Func<int> count) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"access_token":"access-{{count()}}","expires_in":3600,"token_type":"Bearer"}""", Encoding.UTF8, "application/json"),
            });
    }
}
