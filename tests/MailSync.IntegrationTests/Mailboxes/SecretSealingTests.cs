using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using MailSync.Grains.Interfaces.Companies;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Mailboxes;

/// <summary>
/// Stored mailbox secrets on a real silo on Azurite with Dovecot: sealed to the server they unlock (state edited behind the
/// API sends nothing anywhere) and re-sealed under the active key after a key rotation.
/// </summary>
[Trait("Category", "Servers")]
public sealed partial class SecretSealingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly string K1 = Convert.ToBase64String(Enumerable.Repeat((byte)11, 32).ToArray());
    private static readonly string K2 = Convert.ToBase64String(Enumerable.Repeat((byte)22, 32).ToArray());
    private static readonly string K3 = Convert.ToBase64String(Enumerable.Repeat((byte)33, 32).ToArray());

    [Fact]
    public async Task A_stored_server_changed_behind_the_API_gets_no_password_and_the_mailbox_asks_for_a_reconnect()
    {
        var settings = Settings();
        var (user, password) = Dovecot.CreateUser("sealed");
        var companyId = $"co-{Guid.NewGuid():N}";
        await using (var silo = new AzuriteSilo(settings))
        {
            await silo.StartAsync();
            var company = new TestCompany(silo.Grains, companyId);
            await company.Grain.Upsert("Sealed", 1);
            await company.Mailbox(user).Connect(Dovecot.Credentials(user, password));
            await Poll.UntilAsync(company.Mailbox(user).GetStatus, v => v.LastSyncAt is not null, Deadline, "synced");
        }
        await using var hostile = HostileImapServer.Blackhole();
        await EditStateAsync(user, json =>
        {
            var edited = PortPattern().Replace(json, $"\"Port\":{hostile.Port}");
            Assert.NotEqual(json, edited);
            return edited;
        });

        await using (var restarted = new AzuriteSilo(settings))
        {
            await restarted.StartAsync();
            var company = new TestCompany(restarted.Grains, companyId);
            var mailbox = company.Mailbox(user);
            Assert.True((await mailbox.SyncNow()).Ran);
            var failed = await Poll.UntilAsync(mailbox.GetStatus, v => v.LastError is not null, Deadline, "failed");

            Assert.Equal(MailboxStatus.Error, failed.Status);
            Assert.Equal(MailboxErrorCode.AuthenticationFailed, failed.LastError!.Code);
            Assert.Contains("Reconnect", failed.LastError.Detail);
            Assert.Equal(0, hostile.Connections);
        }
    }

    [Fact]
    public async Task Rotating_keys_twice_re_seals_every_secret_under_the_active_key_on_its_next_pass_and_the_report_follows()
    {
        var settings = Settings();
        var (ann, annPassword) = Dovecot.CreateUser("rot");
        var (bob, bobPassword) = Dovecot.CreateUser("rot");
        var companyId = $"co-{Guid.NewGuid():N}";
        await using (var silo = new AzuriteSilo(settings))
        {
            await silo.StartAsync();
            var company = new TestCompany(silo.Grains, companyId);
            await company.Grain.Upsert("Rotating", 2);
            await company.Mailbox(ann).Connect(Dovecot.Credentials(ann, annPassword));
            await company.Mailbox(bob).Connect(Dovecot.Credentials(bob, bobPassword));
            foreach (var user in new[] { ann, bob })
                await Poll.UntilAsync(company.Mailbox(user).GetStatus, v => v.LastSyncAt is not null, Deadline, $"{user} synced");
            Assert.Equal([new SecretKeyCount("k1", 2)], await Report(silo, companyId));
        }
        Assert.Equal(("k1", "k1"), (await StoredKeyIdAsync(ann), await StoredKeyIdAsync(bob)));

        foreach (var (keyId, key) in new[] { ("k2", K2), ("k3", K3) })
        {
            settings[$"Secrets:Keys:{keyId}"] = key;
            settings["Secrets:ActiveKeyId"] = keyId;
            await using var silo = new AzuriteSilo(settings);
            await silo.StartAsync();
            var company = new TestCompany(silo.Grains, companyId);
            foreach (var user in new[] { ann, bob })
            {
                var before = (await company.Status(user)).LastSyncAt;
                Assert.True((await company.Mailbox(user).SyncNow()).Ran);
                var after = await Poll.UntilAsync(company.Mailbox(user).GetStatus, v => v.LastSyncAt > before, Deadline, $"{user} synced under {keyId}");
                Assert.Equal((MailboxStatus.Enabled, null), (after.Status, after.LastError));
                Assert.Equal(keyId, await StoredKeyIdAsync(user));
            }
            Assert.Equal([new SecretKeyCount(keyId, 2)], await Poll.UntilAsync(() => Report(silo, companyId), r => r.Count == 1, Deadline, "report"));
        }
    }

    [Fact]
    public async Task A_secret_sealed_to_the_mailbox_key_alone_no_longer_opens_and_the_mailbox_asks_for_a_reconnect()
    {
        var settings = Settings();
        var (user, password) = Dovecot.CreateUser("legacy");
        var companyId = $"co-{Guid.NewGuid():N}";
        await using (var silo = new AzuriteSilo(settings))
        {
            await silo.StartAsync();
            var company = new TestCompany(silo.Grains, companyId);
            await company.Grain.Upsert("Legacy", 1);
            await company.Mailbox(user).Connect(Dovecot.Credentials(user, password));
            await Poll.UntilAsync(company.Mailbox(user).GetStatus, v => v.LastSyncAt is not null, Deadline, "synced");
        }
        // The weaker sealing of early builds: the same key, the mailbox key alone as associated data (any server or
        // username could be stored beside it). There is no such deployment to migrate, so it is not opened.
        var legacy = LegacySeal(password, $"{companyId}/{user}");
        await EditStateAsync(user, json => PayloadPattern().Replace(json, $"\"Payload\":\"{legacy}\""));

        await using var restarted = new AzuriteSilo(settings);
        await restarted.StartAsync();
        var mailbox = new TestCompany(restarted.Grains, companyId).Mailbox(user);
        Assert.True((await mailbox.SyncNow()).Ran);
        var failed = await Poll.UntilAsync(mailbox.GetStatus, v => v.LastError is not null, Deadline, "refused");

        Assert.Equal((MailboxStatus.Error, MailboxErrorCode.AuthenticationFailed), (failed.Status, failed.LastError!.Code));
        Assert.Contains("Reconnect the mailbox", failed.LastError.Detail);
        Assert.Equal(legacy, await StoredPayloadAsync(user)); // nothing re-sealed
    }

    private static string LegacySeal(string plaintext, string purpose)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(Convert.FromBase64String(K1), 16);
        aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(purpose));
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    private static async Task<string> StoredPayloadAsync(string user)
    {
        string? payload = null;
        await EditStateAsync(user, json =>
        {
            payload = PayloadPattern().Match(json).Groups[1].Value;
            return json;
        });
        return payload!;
    }

    private static Dictionary<string, string?> Settings()
    {
        var settings = new Dictionary<string, string?>(AzuriteSilo.NewSettings())
        {
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["Secrets:Keys:k1"] = K1,
            ["Secrets:ActiveKeyId"] = "k1",
            // Each silo of a test asks a pass at once: the (saved) sync-now cooldown is not what these tests are about.
            ["MailSync:SyncNowCooldown"] = "00:00:00.001",
        };
        settings.Remove($"Secrets:Keys:{TestSecrets.KeyId}");
        return settings;
    }

    private static Task<IReadOnlyList<SecretKeyCount>> Report(AzuriteSilo silo, string companyId) =>
        silo.Grains.GetGrain<ICompanyDirectoryGrain>(companyId).GetSecretKeys();

    private static async Task<string> StoredKeyIdAsync(string user)
    {
        string? keyId = null;
        await EditStateAsync(user, json =>
        {
            keyId = KeyIdPattern().Match(json).Groups[1].Value;
            return json;
        });
        return keyId!;
    }

    /// <summary>Rewrites the stored state of the mailbox whose username is <paramref name="user"/> (unique per test).</summary>
    private static async Task EditStateAsync(string user, Func<string, string> edit)
    {
        var table = new TableServiceClient(TestServices.Current.TablesConnectionString).GetTableClient("OrleansGrainState");
        var found = 0;
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            var changed = false;
            foreach (var (name, value) in entity.ToList())
            {
                var (text, binary) = value switch
                {
                    string s => (s, false),
                    byte[] b => (Encoding.UTF8.GetString(b), true),
                    BinaryData d => (d.ToString(), true),
                    _ => (null, false),
                };
                if (text is null || !text.Contains($"\"{user}\"", StringComparison.Ordinal) || !KeyIdPattern().IsMatch(text)) continue;
                found++;
                var edited = edit(text);
                if (edited == text) continue;
                entity[name] = binary ? Encoding.UTF8.GetBytes(edited) : edited;
                changed = true;
            }
            if (changed) await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Replace);
        }
        Assert.Equal(1, found);
    }

    [GeneratedRegex("\"Port\"\\s*:\\s*\\d+")]
    private static partial Regex PortPattern();

    [GeneratedRegex("\"Payload\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex PayloadPattern();

    [GeneratedRegex("\"KeyId\"\\s*:\\s*\"([^\"]+)\"")]
    private static partial Regex KeyIdPattern();
}
