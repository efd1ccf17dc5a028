using System.Net;
using System.Net.Sockets;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Sync;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Sync;

/// <summary>Each error class produced by a real condition on 127.0.0.1.</summary>
[Trait("Category", "Servers")]
public sealed class SyncErrorTests
{
    private readonly SyncHarness harness = new();

    private static MailboxCredentials At(string host, int port, ImapSecurity security, string password = "pw") =>
        new(MailboxProvider.Custom, "ann@acme.test", "ann", password, new ImapEndpoint(host, port, security));

    [Fact]
    public async Task A_wrong_password_is_AuthenticationFailed_without_the_password_in_the_detail()
    {
        var (user, _) = Dovecot.CreateUser("badpw");

        var outcome = await harness.SyncAsync(user, Dovecot.Credentials(user, "Wrong-Secret-42"));

        Assert.Equal(MailboxErrorCode.AuthenticationFailed, outcome.Code);
        Assert.DoesNotContain("Wrong-Secret-42", outcome.Detail);
    }

    [Fact]
    public async Task A_closed_port_is_ConnectionRefused_and_its_detail_does_not_name_the_port()
    {
        var port = FreePort.Next();

        var outcome = await harness.SyncAsync("ann", At("127.0.0.1", port, ImapSecurity.Ssl));

        Assert.Equal(MailboxErrorCode.ConnectionRefused, outcome.Code);
        Assert.Equal("The connection to 127.0.0.1 was refused or could not be made.", outcome.Detail);
        Assert.DoesNotContain(port.ToString(), outcome.Detail);
    }

    [Fact]
    public async Task An_unknown_host_is_HostNotFound()
    {
        var outcome = await harness.SyncAsync("ann", At("imap.mailsync-test.invalid", 993, ImapSecurity.Ssl));

        Assert.Equal(MailboxErrorCode.HostNotFound, outcome.Code);
    }

    [Fact]
    public async Task TLS_against_a_plaintext_port_is_TlsFailure_and_its_detail_does_not_name_the_port()
    {
        var outcome = await harness.SyncAsync("ann", At("127.0.0.1", TestServices.Current.ImapPort, ImapSecurity.Ssl));

        Assert.Equal(MailboxErrorCode.TlsFailure, outcome.Code);
        Assert.DoesNotContain(TestServices.Current.ImapPort.ToString(), outcome.Detail);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_TlsFailure()
    {
        var strict = new SyncHarness(o => o.TrustedCertificateThumbprints = []);
        var (user, password) = Dovecot.CreateUser("untrusted");

        var outcome = await strict.SyncAsync(user, Dovecot.Credentials(user, password));

        Assert.Equal(MailboxErrorCode.TlsFailure, outcome.Code);
    }

    [Fact]
    public async Task Unencrypted_IMAP_is_refused_unless_allowed()
    {
        var (user, password) = Dovecot.CreateUser("plain");
        var credentials = Dovecot.Credentials(user, password, ImapSecurity.None);

        var refused = await harness.SyncAsync(user, credentials);
        var allowed = await new SyncHarness(o => o.AllowInsecureImap = true).SyncAsync(user, credentials);

        Assert.Equal(MailboxErrorCode.TlsFailure, refused.Code);
        Assert.True(allowed.Succeeded, allowed.Detail);
    }

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_is_ConnectionTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var impatient = new SyncHarness(o => o.ImapTimeout = TimeSpan.FromSeconds(1));

        var overTls = await impatient.SyncAsync("ann", At("127.0.0.1", port, ImapSecurity.Ssl));
        var overStartTls = await impatient.SyncAsync("ann", At("127.0.0.1", port, ImapSecurity.StartTls));

        Assert.Equal(MailboxErrorCode.ConnectionTimeout, overTls.Code);
        Assert.Equal(MailboxErrorCode.ConnectionTimeout, overStartTls.Code);
    }

    [Fact]
    public async Task A_mailbox_without_a_Sent_folder_still_syncs_its_INBOX_and_warns()
    {
        var (user, password) = Dovecot.CreateUser("nosent", withSentFolder: false);
        harness.Leads.Add("lee", "lee@lead.example");
        Dovecot.Plant(user, Mail.Message("lee@lead.example", [Dovecot.Address(user)], "hello", DateTimeOffset.UtcNow.AddDays(-1)));

        var outcome = await harness.SyncAsync(user, Dovecot.Credentials(user, password));

        Assert.True(outcome.Succeeded, outcome.Detail);
        Assert.Equal("hello", Assert.Single(await harness.TimelineOf("lee")).Subject);
        Assert.Equal(MailboxErrorCode.SentFolderMissing, Assert.Single(outcome.Warnings).Code);
        Assert.Equal([FolderKeys.Inbox], harness.Cursors.Keys);
    }

    [Fact]
    public async Task A_host_on_a_private_network_is_HostNotAllowed_unless_allowed()
    {
        var strict = new SyncHarness(o => o.AllowPrivateImapHosts = false);
        var (user, password) = Dovecot.CreateUser("private");

        var byAddress = await strict.SyncAsync(user, Dovecot.Credentials(user, password));
        var byName = await strict.SyncAsync(user, Dovecot.Credentials(user, password) with { Imap = new ImapEndpoint("localhost", TestServices.Current.ImapsPort, ImapSecurity.Ssl) });

        Assert.Equal(MailboxErrorCode.HostNotAllowed, byAddress.Code);
        Assert.Equal(MailboxErrorCode.HostNotAllowed, byName.Code);
        // The user learns which name was refused, never what it resolved to.
        Assert.Equal("localhost resolves only to private or local addresses, which this service does not connect to.", byName.Detail);
    }

    [Fact]
    public async Task A_port_outside_the_allow_list_is_HostNotAllowed_before_any_connection()
    {
        await using var blackhole = HostileImapServer.Blackhole();
        var dovecot = TestServices.Current.ImapsPort;
        var strict = new SyncHarness(o =>
        {
            o.AllowAnyImapPort = false;
            o.AllowedImapPorts = [dovecot];
        });
        var (user, password) = Dovecot.CreateUser("ports");

        var refused = await strict.SyncAsync("ann", At("127.0.0.1", blackhole.Port, ImapSecurity.Ssl));
        var byDefault = await new SyncHarness(o => o.AllowAnyImapPort = false).SyncAsync(user, Dovecot.Credentials(user, password));
        var listed = await strict.SyncAsync(user, Dovecot.Credentials(user, password));

        Assert.Equal(MailboxErrorCode.HostNotAllowed, refused.Code);
        Assert.Equal("The port given for 127.0.0.1 is not an IMAP port this service connects to.", refused.Detail);
        Assert.Equal(0, blackhole.Connections); // refused before connecting: a blackhole would have held the pass until its timeout
        Assert.Equal(MailboxErrorCode.HostNotAllowed, byDefault.Code); // only 143 and 993 without a list
        Assert.True(listed.Succeeded, listed.Detail);
    }
}
