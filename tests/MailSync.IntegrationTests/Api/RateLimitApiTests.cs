using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MailSync.Grains.Interfaces.Mailboxes;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MailSync.IntegrationTests.Api;

/// <summary>An API of its own with a one-minute connect cooldown and small rate limits (1 request a second, bursts of 10 and 14).</summary>
public sealed class RateLimitedApiFixture : IAsyncLifetime
{
    public ApiFixture Api { get; } = new()
    {
        ExtraSettings = new Dictionary<string, string?>
        {
            ["MailSync:ConnectCooldown"] = "00:01:00",
            ["RateLimits:PerCallerPerSecond"] = "1",
            ["RateLimits:PerCallerBurst"] = "10",
            ["RateLimits:PerCompanyPerSecond"] = "1",
            ["RateLimits:PerCompanyBurst"] = "14",
        },
    };

    public Task InitializeAsync() => Api.InitializeAsync();

    public Task DisposeAsync() => Api.DisposeAsync();
}

/// <summary>
/// One script against everyone: a connect loop dials the named host once per cooldown, and a caller or a company over its
/// rate gets 429 with Retry-After while other callers and companies are served.
/// </summary>
[Trait("Category", "Servers")]
public sealed class RateLimitApiTests(RateLimitedApiFixture fixture) : IClassFixture<RateLimitedApiFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private ApiFixture Api => fixture.Api;

    [Fact]
    public async Task A_connect_loop_naming_someones_host_answers_429_and_the_host_is_dialed_once()
    {
        await using var victim = HostileImapServer.Blackhole();
        var company = await Api.NewCompanyAsync();
        var token = ApiFixture.Token(company, "ann", "Salesperson");
        var mailbox = $"/v1/companies/{company}/users/ann/mailbox";

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
            answers.Add(await Api.SendAsync(HttpMethod.Post, mailbox, token, ConnectBodies.Custom("ann", password: $"guess-{i}", port: victim.Port)));
        var grain = Api.Services.GetRequiredService<IClusterClient>().GetMailbox(company, "ann");
        await Poll.UntilAsync(() => grain.GetErrors(10), e => e.Count > 0, Deadline, "the one pass timed out on the silent host");

        Assert.Equal([HttpStatusCode.Accepted, .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 4)], answers.Select(a => a.StatusCode));
        Assert.InRange(answers[1].Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Contains("connect again in", (await answers[1].Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(1, victim.Connections);
        Assert.Single(await grain.GetErrors(10)); // one pass, the first connect's
        foreach (var answer in answers) answer.Dispose();
    }

    [Fact]
    public async Task A_caller_over_its_rate_gets_429_then_its_company_too_and_another_company_is_served()
    {
        var company = await Api.NewCompanyAsync();
        var other = await Api.NewCompanyAsync();
        var ann = ApiFixture.Token(company, "ann", "Salesperson");
        var bob = ApiFixture.Token(company, "bob", "Salesperson");

        var annAnswers = await UntilRefusedAsync(company, "ann", ann, 30);
        var bobAnswers = await UntilRefusedAsync(company, "bob", bob, 30);
        using var elsewhere = await Api.SendAsync(HttpMethod.Get, $"/v1/companies/{other}/users/cy/mailbox", ApiFixture.Token(other, "cy", "Salesperson"));

        // ann's own bucket (10) runs out first; bob's is full, but what is left of the company's (14) is not.
        Assert.InRange(annAnswers.Ok, 10, 13);
        Assert.InRange(bobAnswers.Ok, 0, 3);
        var refused = bobAnswers.Refused!;
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }

    /// <summary>GETs the user's mailbox until one is refused (at most <paramref name="most"/>): how many were served, and the refusal.</summary>
    private async Task<(int Ok, HttpResponseMessage? Refused)> UntilRefusedAsync(string company, string user, string token, int most)
    {
        for (var served = 0; served < most; served++)
        {
            var response = await Api.SendAsync(HttpMethod.Get, $"/v1/companies/{company}/users/{user}/mailbox", token);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) return (served, response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }
        return (most, null);
    }
}
