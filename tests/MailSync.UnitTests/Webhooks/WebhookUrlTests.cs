using MailSync.Shared.Webhooks;

namespace MailSync.UnitTests.Webhooks;

public sealed class WebhookUrlTests
{
    [Theory]
    [InlineData("https://crm.example.com/hooks/mail-sync")]
    [InlineData("https://crm.example.com:8443/hooks?tenant=acme")]
    [InlineData("https://93.184.216.34/hooks")]
    public void Accepts_public_https_urls(string url) => Assert.Null(WebhookUrl.Refusal(url, allowHttp: false, allowPrivateHosts: false));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("crm.example.com/hooks", "absolute")]
    [InlineData("http://crm.example.com/hooks", "https")]
    [InlineData("ftp://crm.example.com/hooks", "https")]
    [InlineData("https://user:pw@crm.example.com/hooks", "user name")]
    [InlineData("https://crm.example.com/hooks#x", "fragment")]
    [InlineData("https://localhost/hooks", "private")]
    [InlineData("https://127.0.0.1/hooks", "private")]
    [InlineData("https://10.1.2.3/hooks", "private")]
    [InlineData("https://169.254.169.254/latest/meta-data", "private")]
    [InlineData("https://[::1]/hooks", "private")]
    [InlineData("https://[fd00::1]/hooks", "private")]
    [InlineData("https://crm.example.com/a b", "absolute")]
    public void Refuses_the_rest_saying_why(string? url, string why) =>
        Assert.Contains(why, WebhookUrl.Refusal(url, allowHttp: false, allowPrivateHosts: false));

    [Fact]
    public void Allows_loopback_http_only_where_configured_as_for_imap_hosts() =>
        Assert.Null(WebhookUrl.Refusal("http://127.0.0.1:5000/hooks", allowHttp: true, allowPrivateHosts: true));

    [Fact]
    public void Allows_1024_characters_and_no_more()
    {
        var prefix = "https://crm.example.com/";
        Assert.Null(WebhookUrl.Refusal(prefix + new string('a', WebhookUrl.MaxLength - prefix.Length), false, false));
        Assert.Contains("1024", WebhookUrl.Refusal(prefix + new string('a', WebhookUrl.MaxLength - prefix.Length + 1), false, false));
    }
}
