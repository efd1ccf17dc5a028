using System.Collections.Concurrent;
using System.Net;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Diagnostics;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the API host sends its traces and logs there (OTLP over HTTP, to a
/// loopback receiver standing in for a collector).
/// </summary>
public sealed class OtlpExportTests : IAsyncLifetime
{
    private readonly HttpListener collector = new();
    private readonly ConcurrentQueue<(string Path, long Bytes)> received = new();
    private readonly int port = FreePort.Next();
    private ApiFixture api = null!;

    public async Task InitializeAsync()
    {
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        _ = Task.Run(ReceiveAsync);
        api = new ApiFixture
        {
            ExtraSettings = new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "100",
            },
        };
        await api.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        collector.Close();
    }

    [Fact]
    public async Task With_an_OTLP_endpoint_configured_the_API_exports_its_traces_and_logs_there()
    {
        var response = await api.SendAsync(HttpMethod.Get, $"/v1/companies/{await api.NewCompanyAsync()}/mail-sync", ApiFixture.OperatorToken());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var paths = await Poll.UntilAsync(() => Task.FromResult(received.Where(r => r.Bytes > 0).Select(r => r.Path).ToHashSet()),
            seen => seen.Contains("/v1/traces") && seen.Contains("/v1/logs"), TimeSpan.FromSeconds(30), "OTLP traces and logs at the collector");

        Assert.Contains("/v1/traces", paths);
    }

    private async Task ReceiveAsync()
    {
        while (collector.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await collector.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            received.Enqueue((context.Request.Url!.AbsolutePath, body.Length));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
