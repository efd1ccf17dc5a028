using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using MailSync.Api.Auth;
using MailSync.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>
/// The real API on Kestrel at 127.0.0.1 with a co-hosted silo (development storage), a known signing key, and every
/// log line captured so tests can look for secrets in them.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string SigningKey = "api-tests-signing-key-0123456789-abcdefghijklmnop";
    public const string SettingsPage = "https://crm.example/settings/mail-sync";

    private WebApplicationFactory<Program> factory = null!;

    public HttpClient Http { get; private set; } = null!;

    public ConcurrentQueue<string> Logs { get; } = new();

    public IServiceProvider Services => factory.Services;

    /// <summary>Settings on top of the fixture's own (e.g. Azure storage instead of memory).</summary>
    public IReadOnlyDictionary<string, string?> ExtraSettings { get; init; } = new Dictionary<string, string?>();

    /// <summary>More logging on top of the fixture's capture (e.g. a provider that records scopes).</summary>
    public Action<ILoggingBuilder>? ExtraLogging { get; init; }

    public Task InitializeAsync()
    {
        factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting("Auth:SigningKey", SigningKey);
            web.UseSetting("Orleans:SiloPort", FreePort.Next().ToString());
            web.UseSetting("Orleans:GatewayPort", FreePort.Next().ToString());
            web.UseSetting("Secrets:Keys:test-1", TestSecrets.Key);
            // Over Dovecot's auth penalty (up to 15 s for 127.0.0.1 after another test's deliberately failed login): a
            // login delayed by it must not fail as a timeout.
            web.UseSetting("MailSync:ImapTimeout", "00:00:20");
            web.UseSetting("MailSync:SettingsPageUrl", SettingsPage);
            web.UseSetting("Metrics:AdditionalMeters:0", "Microsoft.AspNetCore.Hosting");
            // Dovecot and the closed ports of failing mailboxes are random free ports, and tests sync now, connect and poll as
            // often as they need: the port allow-list, the cooldowns and the rate limits are tested on APIs of their own.
            web.UseSetting("MailSync:AllowAnyImapPort", "true");
            web.UseSetting("MailSync:SyncNowCooldown", "00:00:00.001");
            web.UseSetting("MailSync:ConnectCooldown", "00:00:00.001");
            web.UseSetting("RateLimits:PerCallerPerSecond", "1000000");
            web.UseSetting("RateLimits:PerCallerBurst", "1000000");
            web.UseSetting("RateLimits:PerCompanyPerSecond", "1000000");
            web.UseSetting("RateLimits:PerCompanyBurst", "1000000");
            // The access and bad-input tests need no server (Category!=Servers); the others find Dovecot and the fake Google.
            if (TestServices.IfRunning is { } servers) UseServers(web, servers);
            foreach (var (key, value) in ExtraSettings) web.UseSetting(key, value);
            web.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddProvider(new CapturingLoggerProvider(Logs));
                ExtraLogging?.Invoke(logging);
            });
        });
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        // No cookie jar: API calls carry their JWT only; a test that plays a browser takes one from NewBrowser().
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
        return Task.CompletedTask;
    }

    /// <summary>
    /// Dovecot's certificate, and the fake Google and Microsoft (on the port Dovecot's XOAUTH2 check asks) for their sign-ins.
    /// </summary>
    private static void UseServers(IWebHostBuilder web, TestServices servers)
    {
        var google = $"http://127.0.0.1:{servers.GooglePort}";
        web.UseSetting("MailSync:TrustedCertificateThumbprints:0", Dovecot.CertificateThumbprint);
        web.UseSetting("Google:ClientId", FakeGoogle.ClientId);
        web.UseSetting("Google:ClientSecret", FakeGoogle.ClientSecret);
        web.UseSetting("Google:AuthorizationEndpoint", $"{google}/auth");
        web.UseSetting("Google:TokenEndpoint", $"{google}/token");
        web.UseSetting("Google:UserInfoEndpoint", $"{google}/userinfo");
        web.UseSetting("Google:RevocationEndpoint", $"{google}/revoke"); // never Google's own from a test
        web.UseSetting("Google:RedirectUri", "http://127.0.0.1/v1/oauth/google/callback");
        web.UseSetting("Google:ImapHost", "127.0.0.1");
        web.UseSetting("Google:ImapPort", servers.ImapsPort.ToString());
        // The fake Microsoft identity platform is served by the same host; Exchange Online's IMAP is Dovecot.
        web.UseSetting("Microsoft:ClientId", FakeMicrosoft.ClientId);
        web.UseSetting("Microsoft:ClientSecret", FakeMicrosoft.ClientSecret);
        web.UseSetting("Microsoft:Authority", $"{google}/microsoft");
        web.UseSetting("Microsoft:UserInfoEndpoint", $"{google}/microsoft/oidc/userinfo");
        web.UseSetting("Microsoft:RedirectUri", "http://127.0.0.1/v1/oauth/microsoft/callback");
        web.UseSetting("Microsoft:ImapHost", "127.0.0.1");
        web.UseSetting("Microsoft:ImapPort", servers.ImapsPort.ToString());
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await factory.DisposeAsync();
    }

    /// <summary>A client with a cookie jar of its own, as a separate browser would be (redirects not followed).</summary>
    public HttpClient NewBrowser() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Http.BaseAddress };

    public static string Token(string company, string user, string role) =>
        DevelopmentTokens.Create(new AuthOptions { SigningKey = SigningKey }, company, user, role, isOperator: false, TimeSpan.FromHours(1));

    public static string OperatorToken() =>
        DevelopmentTokens.Create(new AuthOptions { SigningKey = SigningKey }, null, null, null, isOperator: true, TimeSpan.FromHours(1));

    /// <summary>Sends a request with the token (none when null) and a JSON body (raw string or object).</summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = body switch
        {
            null => null,
            string raw => new StringContent(raw, System.Text.Encoding.UTF8, "application/json"),
            _ => JsonContent.Create(body),
        };
        return Http.SendAsync(request);
    }

    /// <summary>A fresh company created by the operator, with the given limit.</summary>
    public async Task<string> NewCompanyAsync(int limit = 5)
    {
        var id = $"co-{Guid.NewGuid():N}";
        var response = await SendAsync(HttpMethod.Put, $"/v1/companies/{id}", OperatorToken(), new { name = "Acme", mailboxSyncLimit = limit });
        response.EnsureSuccessStatusCode();
        return id;
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(sink, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(ConcurrentQueue<string> sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
