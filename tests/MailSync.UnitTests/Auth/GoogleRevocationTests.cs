using System.Net;
using System.Text;
using MailSync.Grains.Auth;
using MailSync.Shared.Google;
using MailSync.Shared.Time;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.UnitTests.Auth;

/// <summary>Revocation as Google documents it: POST form <c>token=…</c>; 200 revoked, 400 invalid_token nothing to revoke.</summary>
public sealed class GoogleRevocationTests
{
    private readonly List<(HttpMethod Method, Uri Uri, string Body)> requests = [];
    private Func<HttpRequestMessage, HttpResponseMessage> answer = _ => new HttpResponseMessage(HttpStatusCode.OK);

    private GoogleTokenClient Client() => new(
        Options.Create(new GoogleOptions { ClientId = "id", ClientSecret = "secret", TokenEndpoint = "https://token.test/token", RevocationEndpoint = "https://token.test/revoke" }),
        new HttpClient(new Server(this)));

    [Fact]
    public async Task The_token_is_posted_as_a_form_and_never_put_in_the_URL()
    {
        Assert.True(await Client().RevokeAsync("refresh/1+2", CancellationToken.None));

        var (method, uri, body) = Assert.Single(requests);
        Assert.Equal((HttpMethod.Post, "https://token.test/revoke", "token=refresh%2F1%2B2"), (method, uri.ToString(), body));
    }

    [Theory]
    [InlineData("invalid_token")]
    [InlineData("invalid_grant")]
    public async Task A_token_Google_no_longer_knows_leaves_nothing_to_revoke(string error)
    {
        answer = _ => Json(HttpStatusCode.BadRequest, $$"""{"error":"{{error}}"}""");

        Assert.False(await Client().RevokeAsync("refresh-1", CancellationToken.None));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, "")]
    [InlineData(HttpStatusCode.TooManyRequests, "")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_request"}""")]
    [InlineData(HttpStatusCode.BadRequest, "<html>not json</html>")]
    public async Task Any_other_answer_is_Google_unavailable_for_the_caller_to_retry(HttpStatusCode status, string body)
    {
        answer = _ => Json(status, body);

        var e = await Assert.ThrowsAsync<OAuthServerUnavailableException>(() => Client().RevokeAsync("refresh-1", CancellationToken.None));
        Assert.DoesNotContain("refresh-1", e.Message);
    }

    [Fact]
    public async Task No_answer_at_all_is_Google_unavailable()
    {
        answer = _ => throw new HttpRequestException("connection refused");

        await Assert.ThrowsAsync<OAuthServerUnavailableException>(() => Client().RevokeAsync("refresh-1", CancellationToken.None));
    }

    [Fact]
    public async Task Revoking_through_the_silos_cache_forgets_the_cached_access_token()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        answer = request => request.RequestUri!.AbsolutePath == "/token"
            ? Json(HttpStatusCode.OK, """{"access_token":"access-1","expires_in":3600,"token_type":"Bearer"}""")
            : new HttpResponseMessage(HttpStatusCode.OK);
        var tokens = new GoogleAccessTokens(Client(), new MailSyncClock(time));
        await tokens.GetAsync("refresh-1", CancellationToken.None);
        await tokens.GetAsync("refresh-2", CancellationToken.None);

        Assert.True(await tokens.RevokeAsync("refresh-1", CancellationToken.None));

        Assert.Equal(1, tokens.Cached);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    private sealed class Server(GoogleRevocationTests test) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            if (request.RequestUri!.AbsolutePath == "/revoke") test.requests.Add((request.Method, request.RequestUri, body));
            return test.answer(request);
        }
    }
}
