using System.Security.Cryptography;
using System.Text;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.Grains.Mailboxes;
using MailSync.Shared.Secrets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailSync.UnitTests.Auth;

public sealed class SecretProtectorTests
{
    private const string KeyId = "test-1";

    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static readonly string OtherKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

    private static SecretProtector Protector(Dictionary<string, string> keys, string? active = null, string environment = "Production") =>
        new(Options.Create(new SecretOptions { Keys = keys, ActiveKeyId = active }),
            new HostingEnvironment { EnvironmentName = environment }, NullLogger<SecretProtector>.Instance);

    [Fact]
    public void Round_trips_without_the_plaintext_in_the_stored_form()
    {
        var protector = Protector(new() { [KeyId] = Key });

        var secret = protector.Protect("hunter2-password", "acme/ann");

        Assert.Equal("hunter2-password", protector.Unprotect(secret, "acme/ann"));
        Assert.DoesNotContain("hunter2", secret.Payload);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("hunter2-password")), secret.Payload);
        Assert.Equal(KeyId, secret.KeyId);
    }

    [Fact]
    public void A_secret_copied_to_another_mailbox_does_not_decrypt()
    {
        var protector = Protector(new() { [KeyId] = Key });

        var secret = protector.Protect("pw", "acme/ann");

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(secret, "acme/bob"));
    }

    [Fact]
    public void After_a_key_rotation_old_secrets_still_decrypt_and_new_ones_use_the_new_key()
    {
        var before = Protector(new() { ["k1"] = Key });
        var old = before.Protect("pw", "acme/ann");
        var after = Protector(new() { ["k1"] = Key, ["k2"] = OtherKey }, active: "k2");

        Assert.Equal("pw", after.Unprotect(old, "acme/ann"));
        Assert.Equal("k2", after.Protect("pw", "acme/ann").KeyId);
    }

    [Fact]
    public void A_secret_sealed_to_its_server_does_not_decrypt_once_host_port_security_username_or_provider_change()
    {
        var protector = Protector(new() { [KeyId] = Key });
        var key = new MailboxKey("acme", "ann");
        var imap = new ImapEndpoint("imap.acme.test", 993, ImapSecurity.Ssl);
        var secret = protector.Protect("pw", StoredCredentials.Purpose(key, MailboxProvider.Custom, "ann", imap));

        Assert.Equal("pw", protector.Unprotect(secret, StoredCredentials.Purpose(key, MailboxProvider.Custom, "ann", imap with { })));
        string[] tampered =
        [
            StoredCredentials.Purpose(key, MailboxProvider.Custom, "ann", imap with { Host = "evil.example" }),
            StoredCredentials.Purpose(key, MailboxProvider.Custom, "ann", imap with { Port = 143 }),
            StoredCredentials.Purpose(key, MailboxProvider.Custom, "ann", imap with { Security = ImapSecurity.StartTls }),
            StoredCredentials.Purpose(key, MailboxProvider.Custom, "bob", imap),
            StoredCredentials.Purpose(key, MailboxProvider.GoogleAppPassword, "ann", imap),
            StoredCredentials.Purpose(new MailboxKey("acme", "bob"), MailboxProvider.Custom, "ann", imap),
            key.ToString(), // what secrets were once sealed to: the mailbox key alone
        ];
        foreach (var purpose in tampered) Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(secret, purpose));
    }

    [Fact]
    public void Purposes_keep_their_parts_apart()
    {
        var key = new MailboxKey("acme", "ann");

        Assert.NotEqual(
            StoredCredentials.Purpose(key, MailboxProvider.Custom, "a\",\"b", new ImapEndpoint("h", 993, ImapSecurity.Ssl)),
            StoredCredentials.Purpose(key, MailboxProvider.Custom, "a", new ImapEndpoint("h", 993, ImapSecurity.Ssl)));
        Assert.NotEqual(key.ToString(), StoredCredentials.Purpose(key, MailboxProvider.Custom, "", new ImapEndpoint("", 0, ImapSecurity.Ssl)));
    }

    [Fact]
    public void Rotating_twice_keeps_every_old_key_readable_and_only_the_active_key_counts_as_active()
    {
        var k1 = Protector(new() { ["k1"] = Key });
        var underK1 = k1.Protect("pw1", "acme/ann");
        var k2 = Protector(new() { ["k1"] = Key, ["k2"] = OtherKey }, active: "k2");
        var underK2 = k2.Protect("pw2", "acme/ann");
        var k3 = Protector(new() { ["k1"] = Key, ["k2"] = OtherKey, ["k3"] = Convert.ToBase64String(new byte[32]) }, active: "k3");

        Assert.True(k1.IsActive(underK1));
        Assert.False(k2.IsActive(underK1));
        Assert.False(k3.IsActive(underK1));
        Assert.False(k3.IsActive(underK2));
        Assert.Equal(("pw1", "pw2"), (k3.Unprotect(underK1, "acme/ann"), k3.Unprotect(underK2, "acme/ann")));
        var resealed = k3.Protect(k3.Unprotect(underK1, "acme/ann"), "acme/ann");
        Assert.True(k3.IsActive(resealed));
        Assert.Equal("k3", k3.ActiveKeyId);
        Assert.Equal("pw1", k3.Unprotect(resealed, "acme/ann"));
        var retired = Protector(new() { ["k3"] = Convert.ToBase64String(new byte[32]) });
        Assert.Equal("pw1", retired.Unprotect(resealed, "acme/ann"));
        Assert.ThrowsAny<CryptographicException>(() => retired.Unprotect(underK2, "acme/ann"));
    }

    [Fact]
    public void Production_without_keys_refuses_to_start_and_Development_generates_one()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Protector([]));

        Assert.Contains("Secrets:Keys", error.Message);
        Assert.Equal("pw", Protector([], environment: Environments.Development) is var dev ? dev.Unprotect(dev.Protect("pw", "p"), "p") : null);
    }

    [Fact]
    public void A_key_of_the_wrong_size_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Protector(new() { ["short"] = Convert.ToBase64String(new byte[16]) }));

        Assert.Contains("Secrets:Keys:short", error.Message);
    }
}
