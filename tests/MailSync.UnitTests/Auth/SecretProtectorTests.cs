using System.Security.Cryptography;
using System.Text;
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
