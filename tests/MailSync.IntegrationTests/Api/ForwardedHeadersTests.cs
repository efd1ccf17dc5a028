using System.Net.Http.Headers;
using MailSync.IntegrationTests.Infrastructure;

namespace MailSync.IntegrationTests.Api;

/// <summary>Behind a TLS-terminating proxy the sign-in cookie is still Secure, and only a configured proxy is believed.</summary>
public sealed class ForwardedHeadersTests
{
    [Theory]
    [InlineData("127.0.0.1/32", true)]
    [InlineData(null, false)]
    public async Task The_sign_in_cookie_is_Secure_when_a_trusted_proxy_says_the_request_came_over_https(string? trusted, bool secure)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Google:ClientId"] = "client", ["Google:ClientSecret"] = "secret",
            ["Google:RedirectUri"] = "https://mailsync.example/v1/oauth/google/callback",
        };
        if (trusted is not null) settings["Proxy:TrustedNetworks:0"] = trusted; // none: forwarded headers are not believed
        var api = new ApiFixture { ExtraSettings = settings };
        await api.InitializeAsync();
        try
        {
            var company = await api.NewCompanyAsync();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/companies/{company}/users/ann/mailbox/google/authorize");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ApiFixture.Token(company, "ann", "Salesperson"));
            request.Headers.Add("X-Forwarded-Proto", "https");

            var response = await api.Http.SendAsync(request);

            response.EnsureSuccessStatusCode();
            var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
            Assert.Equal(secure, cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            await api.DisposeAsync();
        }
    }
}
