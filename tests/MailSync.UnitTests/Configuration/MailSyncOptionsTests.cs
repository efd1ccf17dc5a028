using MailSync.Shared.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MailSync.UnitTests.Configuration;

public sealed class MailSyncOptionsTests
{
    private static MailSyncOptions Read(params (string Key, string Value)[] settings) => ValidatedOptions.Read<MailSyncOptions>(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(),
        MailSyncOptions.Section);

    [Fact]
    public void By_default_IMAP_goes_only_to_ports_143_and_993_and_sync_now_cools_down_for_a_minute()
    {
        var options = Read();

        Assert.Equal([143, 993], options.ImapPorts);
        Assert.True(options.AllowsImapPort(143) && options.AllowsImapPort(993));
        Assert.All(new[] { 22, 25, 80, 443, 3306, 5432, 6379, 8080, 1143 }, port => Assert.False(options.AllowsImapPort(port)));
        Assert.Equal(TimeSpan.FromMinutes(1), options.SyncNowCooldown);
    }

    [Fact]
    public void A_configured_port_list_replaces_the_default()
    {
        var options = Read(("MailSync:AllowedImapPorts:0", "993"), ("MailSync:AllowedImapPorts:1", "1993"));

        Assert.Equal([993, 1993], options.ImapPorts);
        Assert.False(options.AllowsImapPort(143));
        Assert.True(options.AllowsImapPort(1993));
    }

    [Fact]
    public void The_tests_switch_allows_any_port()
    {
        var options = Read(("MailSync:AllowAnyImapPort", "true"));

        Assert.True(options.AllowsImapPort(25));
        Assert.True(options.AllowsImapPort(44597));
    }

    [Theory]
    [InlineData("MailSync:SyncNowCooldown", "00:00:00", "MailSync:SyncNowCooldown must be positive")]
    [InlineData("MailSync:SyncNowCooldown", "-00:00:01", "MailSync:SyncNowCooldown must be positive")]
    [InlineData("MailSync:AllowedImapPorts:0", "0", "MailSync:AllowedImapPorts:0 must be a port between 1 and 65535")]
    [InlineData("MailSync:AllowedImapPorts:0", "65536", "MailSync:AllowedImapPorts:0 must be a port between 1 and 65535")]
    public void Bad_values_stop_the_host_naming_the_key(string key, string value, string expected)
    {
        var refusal = Assert.Throws<OptionsValidationException>(() => Read((key, value)));

        Assert.Contains(expected, refusal.Message);
    }
}
