using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.Api.Auth;
using MailSync.Shared.Time;
using MailSync.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MailSync.BrowserTests.Infrastructure;

/// <summary>
/// The real API host on Kestrel at 127.0.0.1 (a fixed free port, so Google's redirect URI and the settings page address
/// can name it), with its co-hosted silo on Azurite, Dovecot as the mail server, the loopback fake Google, and a fake
/// mail-sync clock that tests move instead of waiting (the 48 h rule). One for all browser tests: they run one after
/// another in <see cref="BrowserCollection"/> and each uses fresh companies.
/// </summary>
public sealed class PageHost : IAsyncLifetime
{
    public const string SigningKey = "browser-tests-signing-key-0123456789-abcdefghijkl";

    private WebApplicationFactory<Program> factory = null!;

    /// <summary>The mail-sync clock (back-off, the 48 h rule): starts at the real time, moves only when a test moves it.</summary>
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public string BaseUrl { get; private set; } = null!;

    public string PageUrl => $"{BaseUrl}/settings/mail-sync";

    public HttpClient Http { get; private set; } = null!;

    public FakeGoogle Google { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Google = await FakeGoogle.SharedAsync();
        var port = FreePort.Next();
        BaseUrl = $"http://127.0.0.1:{port}";
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            foreach (var (key, value) in Settings()) web.UseSetting(key, value);
            web.ConfigureTestServices(services => services.AddSingleton(new MailSyncClock(Time)));
            web.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };
        await Poll.UntilAsync(async () => (await Http.GetAsync("/health/ready")).StatusCode, s => s == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), "API ready");
    }

    private Dictionary<string, string?> Settings()
    {
        var services = TestServices.Current;
        var google = Google.BaseUrl;
        return new Dictionary<string, string?>(TestSecrets.Settings)
        {
            ["Auth:SigningKey"] = SigningKey,
            ["Logging:LogLevel:Default"] = "Warning", // the test output shows failures, not every sync
            ["Logging:LogLevel:MailSync"] = "Warning",
            ["Storage:ConnectionString"] = services.TablesConnectionString,
            ["Orleans:ServiceId"] = $"svc-{Guid.NewGuid():N}",
            ["Orleans:ClusterId"] = $"cl-{Guid.NewGuid():N}",
            ["Orleans:SiloPort"] = FreePort.Next().ToString(),
            ["Orleans:GatewayPort"] = FreePort.Next().ToString(),
            // Over Dovecot's auth penalty (up to 15 s for 127.0.0.1 after another test's deliberately failed login): a
            // login delayed by it must not fail as a timeout.
            ["MailSync:ImapTimeout"] = "00:00:20",
            ["MailSync:AllowPrivateImapHosts"] = "true",
            // Dovecot and the closed ports of failing mailboxes are random free ports.
            ["MailSync:AllowAnyImapPort"] = "true",
            // The tests fix a typo faster than a person does, on a fake clock (the cooldown is tested through the API).
            ["MailSync:ConnectCooldown"] = "00:00:00.001",
            ["MailSync:TrustedCertificateThumbprints:0"] = Dovecot.CertificateThumbprint,
            ["Google:ClientId"] = FakeGoogle.ClientId,
            ["Google:ClientSecret"] = FakeGoogle.ClientSecret,
            ["Google:AuthorizationEndpoint"] = $"{google}/auth",
            ["Google:TokenEndpoint"] = $"{google}/token",
            ["Google:UserInfoEndpoint"] = $"{google}/userinfo",
            ["Google:RedirectUri"] = $"{BaseUrl}/v1/oauth/google/callback",
            ["Google:ImapHost"] = "127.0.0.1",
            ["Google:ImapPort"] = services.ImapsPort.ToString(),
            ["Microsoft:ClientId"] = FakeMicrosoft.ClientId,
            ["Microsoft:ClientSecret"] = FakeMicrosoft.ClientSecret,
            ["Microsoft:Authority"] = Google.Microsoft.BaseUrl,
            ["Microsoft:UserInfoEndpoint"] = Google.Microsoft.UserInfoEndpoint,
            ["Microsoft:RedirectUri"] = $"{BaseUrl}/v1/oauth/microsoft/callback",
            ["Microsoft:ImapHost"] = "127.0.0.1",
            ["Microsoft:ImapPort"] = services.ImapsPort.ToString(),
        };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await factory.DisposeAsync();
    }

    public static string Token(string company, string user, string role) =>
        DevelopmentTokens.Create(new AuthOptions { SigningKey = SigningKey }, company, user, role, isOperator: false, TimeSpan.FromHours(1));

    public static string OperatorToken() =>
        DevelopmentTokens.Create(new AuthOptions { SigningKey = SigningKey }, null, null, null, isOperator: true, TimeSpan.FromHours(1));

    /// <summary>The page's address for a user: the token in the fragment, as the CRM links to it.</summary>
    public string PageLink(string company, string user, string role) => $"{PageUrl}#token={Token(company, user, role)}";

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.StatusCode == HttpStatusCode.NoContent ? default : await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>A fresh company created by the operator with the given mailbox sync limit, and its users registered.</summary>
    public async Task<string> NewCompanyAsync(int limit, params (string User, string Role)[] users)
    {
        var id = $"co-{Guid.NewGuid():N}"[..15];
        await SetLimitAsync(id, limit);
        foreach (var (user, role) in users)
            await SendAsync(HttpMethod.Put, $"/v1/companies/{id}/users/{user}", OperatorToken(), new { email = $"{user}@acme.test", role });
        return id;
    }

    /// <summary>What the CRM does when a user's address changes: <paramref name="user"/> is registered as <paramref name="email"/>.</summary>
    public Task RegisterAsync(string company, string user, string email, string role = "Salesperson") =>
        SendAsync(HttpMethod.Put, $"/v1/companies/{company}/users/{user}", OperatorToken(), new { email, role });

    /// <summary>What the CRM's billing does when a company buys more seats.</summary>
    public Task SetLimitAsync(string company, int limit) =>
        SendAsync(HttpMethod.Put, $"/v1/companies/{company}", OperatorToken(), new { name = "Acme", mailboxSyncLimit = limit });

    /// <summary>Connects a mailbox through the API (not the page), as an admin of the company would.</summary>
    public Task ConnectAsync(string company, string user, object body) =>
        SendAsync(HttpMethod.Post, $"/v1/companies/{company}/users/{user}/mailbox", OperatorToken(), body);

    public Task<JsonElement> MailboxAsync(string company, string user) =>
        SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/{user}/mailbox", OperatorToken());
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<PageHost>
{
    public const string Name = "browser";
}
