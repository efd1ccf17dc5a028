using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MailSync.Testing;

namespace MailSync.Bench;

/// <summary>
/// Status-read load: the API (co-hosted silo, JWT on) runs as its own process; wrk, a separate process, holds 64
/// connections on 127.0.0.1 for 10 s against GET mailbox status. Prints requests/s, p50 and p99.
/// </summary>
public static partial class ApiLoadBenchmark
{
    internal const string SigningKey = "benchmark-signing-key-0123456789-abcdefghij";

    /// <summary>The benchmarks measure the service, one caller at full speed: the API's rate limits out of the way.</summary>
    internal static readonly IReadOnlyDictionary<string, string> NoRateLimits = new Dictionary<string, string>
    {
        ["RateLimits__PerCallerPerSecond"] = "1000000", ["RateLimits__PerCallerBurst"] = "1000000",
        ["RateLimits__PerCompanyPerSecond"] = "1000000", ["RateLimits__PerCompanyBurst"] = "1000000",
    };

    public static async Task RunAsync(string apiDll, int connections = 64, int seconds = 10)
    {
        var port = FreePort.Next();
        var api = StartApi(apiDll, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await Poll.UntilAsync(async () => await Ready(http), ready => ready, TimeSpan.FromSeconds(60), "API ready");
            var auth = new Api.Auth.AuthOptions { SigningKey = SigningKey };
            var op = Api.Auth.DevelopmentTokens.Create(auth, null, null, null, isOperator: true, TimeSpan.FromHours(1));
            var user = Api.Auth.DevelopmentTokens.Create(auth, "bench", "ann", "Salesperson", isOperator: false, TimeSpan.FromHours(1));
            await Send(http, HttpMethod.Put, "/v1/companies/bench", op, new { name = "Bench", mailboxSyncLimit = 10 });
            await Send(http, HttpMethod.Post, "/v1/companies/bench/users/ann/mailbox", user, new
            {
                provider = "custom", email = "ann@bench.test", username = "ann", password = "pw",
                imap = new { host = "127.0.0.1", port = FreePort.Next(), security = "ssl" },
            });

            var url = $"http://127.0.0.1:{port}/v1/companies/bench/users/ann/mailbox";
            // Warm-up (JIT, connection setup), then the measured run.
            await Wrk(url, user, connections, 3);
            var output = await Wrk(url, user, connections, seconds);
            var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var p50 = Latency(output, "50%");
            var p99 = Latency(output, "99%");
            var non2xx = Non2xx().Match(output) is { Success: true } m ? m.Groups[1].Value : "0";
            Console.WriteLine($"GET mailbox status, JWT on, {connections} connections for {seconds} s (wrk, separate process):");
            Console.WriteLine($"  requests/s: {rps,10:N0}   target >= 10,000");
            Console.WriteLine($"  p50:        {p50,10:0.00} ms");
            Console.WriteLine($"  p99:        {p99,10:0.00} ms   target <= 25");
            Console.WriteLine($"  non-2xx:    {non2xx,10}");
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }
    }

    /// <summary>The API (co-hosting its silo) as its own process, with JWT on (<see cref="SigningKey"/>) and <paramref name="settings"/>.</summary>
    internal static Process StartApi(string apiDll, int port, IReadOnlyDictionary<string, string>? settings = null)
    {
        var start = new ProcessStartInfo("dotnet", [apiDll]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in NoRateLimits.Concat(settings ?? new Dictionary<string, string>())) start.Environment[key] = value;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        // Development: in-memory storage is refused in any other environment (DeploymentGuard); JWT stays on, with this key.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Auth__SigningKey"] = SigningKey;
        start.Environment["Secrets__Keys__bench"] = TestSecrets.Key;
        start.Environment["Orleans__SiloPort"] = FreePort.Next().ToString();
        start.Environment["Orleans__GatewayPort"] = FreePort.Next().ToString();
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["MailSync__AllowPrivateImapHosts"] = "true";
        start.Environment["MailSync__AllowAnyImapPort"] = "true"; // the mailbox points at a free port, failing as refused
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[api] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    internal static async Task<bool> Ready(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    internal static async Task Send(HttpClient http, HttpMethod method, string path, string token, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }

    private static async Task<string> Wrk(string url, string token, int connections, int seconds)
    {
        var start = new ProcessStartInfo("wrk", ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", $"Authorization: Bearer {token}", url])
        {
            RedirectStandardOutput = true,
        };
        using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk is not installed (scripts/bench.sh installs it)");
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        return output;
    }

    private static double Latency(string output, string percentile)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(percentile)}\s+([\d.]+)(us|ms|s)", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xx();
}
