using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Api;

/// <summary>Key rotation: the operator's count of stored secrets per encryption key, per company.</summary>
[Collection(ApiCollection.Name)]
public sealed class SecretKeysApiTests(ApiFixture api)
{
    [Fact]
    public async Task The_operator_sees_how_many_secrets_each_key_sealed_and_a_company_admin_may_not()
    {
        var company = await api.NewCompanyAsync();
        var admin = ApiFixture.Token(company, "ann", "Administrator");
        var path = $"/v1/companies/{company}/secret-keys";

        var empty = await (await api.SendAsync(HttpMethod.Get, path, ApiFixture.OperatorToken())).Content.ReadFromJsonAsync<JsonElement>();
        foreach (var user in new[] { "ann", "bob" })
        {
            var connected = await api.SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/{user}/mailbox",
                ApiFixture.Token(company, user, "Administrator"), ConnectBodies.Custom(user));
            Assert.True(connected.IsSuccessStatusCode, $"connect {user}: {connected.StatusCode}");
        }
        var report = await Poll.UntilAsync(
            async () => await (await api.SendAsync(HttpMethod.Get, path, ApiFixture.OperatorToken())).Content.ReadFromJsonAsync<JsonElement>(),
            r => r.GetProperty("keys").GetArrayLength() == 1, TimeSpan.FromSeconds(20), "report");

        Assert.Equal(0, empty.GetProperty("keys").GetArrayLength());
        var key = report.GetProperty("keys")[0];
        Assert.Equal((TestSecrets.KeyId, 2), (key.GetProperty("keyId").GetString(), key.GetProperty("secrets").GetInt32()));
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, path, admin)).StatusCode);
    }
}
