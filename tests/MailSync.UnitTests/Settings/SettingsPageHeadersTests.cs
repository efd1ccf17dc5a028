using MailSync.Api.Settings;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MailSync.UnitTests.Settings;

public sealed class SettingsPageHeadersTests
{
    private static SettingsPageOptions Read(params (string Key, string Value)[] settings) => ValidatedOptions.Read<SettingsPageOptions>(
        new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build(), SettingsPageOptions.Section);

    [Fact]
    public void By_default_the_page_allows_only_its_own_files_and_no_frame()
    {
        var headers = new SettingsPageHeaders(Read());

        Assert.Equal("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
                     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'", headers.ContentSecurityPolicy);
    }

    [Fact]
    public void Configured_CRM_origins_may_frame_the_page()
    {
        var headers = new SettingsPageHeaders(Read(("SettingsPage:FrameAncestors:0", "https://crm.example.com/"), ("SettingsPage:FrameAncestors:1", "https://eu.crm.example.com:8443")));

        Assert.EndsWith("; frame-ancestors https://crm.example.com https://eu.crm.example.com:8443", headers.ContentSecurityPolicy);
    }

    [Theory]
    [InlineData("https://crm.example.com; script-src *")]
    [InlineData("https://crm.example.com/settings")]
    [InlineData("crm.example.com")]
    [InlineData("'unsafe-inline'")]
    [InlineData("javascript:alert(1)")]
    public void Anything_but_a_bare_origin_stops_the_host_naming_the_key(string value)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Read(("SettingsPage:FrameAncestors:0", value)));

        Assert.Contains("SettingsPage:FrameAncestors:0", string.Join(' ', refused.Failures));
    }
}
