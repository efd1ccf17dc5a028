using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using MailSync.Shared.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MailSync.Testing;

/// <summary>
/// A webhook receiver on Kestrel at 127.0.0.1 (a free port), as a consumer runs one: it checks each delivery's Standard
/// Webhooks signature with its secret, records what came, and answers what the test scripts (200 by default; a number of
/// 500s first with <see cref="FailNext"/>, or always 500 with <see cref="AlwaysFail"/>).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>A secret of the form a subscription takes (32 random bytes).</summary>
    public string Secret { get; }

    public static string NewSecret() => WebhookSecret.Prefix + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private readonly WebApplication app;
    private readonly ConcurrentQueue<Delivery> deliveries = new();
    private int failNext;
    private int accepted;

    private WebhookReceiver(WebApplication app, int port, string secret)
    {
        this.app = app;
        Secret = secret;
        Url = $"http://127.0.0.1:{port}/hooks";
    }

    public string Url { get; }

    /// <summary>Every request that came, in arrival order (failed ones too).</summary>
    public IReadOnlyList<Delivery> Requests => [.. deliveries];

    /// <summary>The deliveries answered with 200, in arrival order.</summary>
    public IReadOnlyList<Delivery> Accepted => [.. deliveries.Where(d => d.Answered == 200)];

    /// <summary>How many deliveries were answered 200 so far (cheap to ask often).</summary>
    public int AcceptedCount => Volatile.Read(ref accepted);

    public bool AlwaysFail { get; set; }

    /// <summary>The next <paramref name="count"/> requests get 500.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref failNext, count);

    /// <summary>Starts on <paramref name="port"/> (a free one when null) with <paramref name="secret"/> (a new one when null).</summary>
    public static async Task<WebhookReceiver> StartAsync(int? port = null, string? secret = null)
    {
        port ??= FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port.Value));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, port.Value, secret ?? NewSecret());
        app.MapPost("/hooks", receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        var id = request.Headers["Webhook-Id"].ToString();
        var timestamp = long.Parse(request.Headers["Webhook-Timestamp"].ToString(), CultureInfo.InvariantCulture);
        var verified = WebhookSignature.Verify(WebhookSecret.Key(Secret)!, id, timestamp, body, request.Headers["Webhook-Signature"].ToString());
        var answer = AlwaysFail || Interlocked.Decrement(ref failNext) >= 0 ? 500 : 200;
        deliveries.Enqueue(new Delivery(id, timestamp, body, verified, answer));
        if (answer == 200) Interlocked.Increment(ref accepted);
        return Results.StatusCode(answer);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    /// <summary>One request: its id, timestamp and body, whether its signature verified, and what it was answered.</summary>
    public sealed record Delivery(string Id, long Timestamp, string Body, bool SignatureVerified, int Answered)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public string Type => Json.GetProperty("type").GetString()!;

        public JsonElement Data => Json.GetProperty("data");

        public override string ToString() => $"{Id} {Answered} {Body}";
    }
}
