using System.Diagnostics;
using System.Text.Json;
using MailSync.IntegrationTests.Infrastructure;
using MailSync.Testing;

namespace MailSync.IntegrationTests.Api;

/// <summary>
/// The OpenAPI document as client generators see it, fetched from the running API: redocly's recommended rules find
/// nothing in it, and a client generated from it (openapi-typescript types with openapi-fetch) type-checks against a
/// consumer's happy path (<c>GeneratedClient/happy-path.ts</c>) that then runs against the API with a Dovecot mailbox.
/// </summary>
[Collection(ApiCollection.Name)]
[Trait("Category", "Servers")]
public sealed class GeneratedClientTests(ApiFixture api) : IDisposable
{
    private static readonly TimeSpan ToolDeadline = TimeSpan.FromMinutes(2);

    private readonly string work = Directory.CreateTempSubdirectory("mailsync-openapi-").FullName;
    private readonly string tools = TestServices.OpenApiToolsDirectory;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public async Task Redocly_recommended_rules_find_no_error_and_no_warning_in_the_served_document()
    {
        await SaveDocumentAsync();

        var lint = await RunAsync(Tool("redocly"), ["lint", "openapi.json", "--extends", "recommended", "--format", "json"]);

        using var report = JsonDocument.Parse(lint.Output[lint.Output.IndexOf('{')..]);
        var totals = report.RootElement.GetProperty("totals");
        Assert.True(totals.GetProperty("errors").GetInt32() == 0 && totals.GetProperty("warnings").GetInt32() == 0, lint.Output + lint.Errors);
        Assert.Equal(0, lint.ExitCode);
    }

    [Fact]
    public async Task A_client_generated_from_the_served_document_type_checks_and_makes_the_happy_path_calls()
    {
        await SaveDocumentAsync();
        var generate = await RunAsync(Tool("openapi-typescript"), ["openapi.json", "--output", "schema.ts"]);
        Assert.True(generate.ExitCode == 0, generate.Output + generate.Errors);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Api", "GeneratedClient", "happy-path.ts"), Path.Combine(work, "happy-path.ts"));
        File.WriteAllText(Path.Combine(work, "package.json"), """{ "type": "module" }""");
        File.WriteAllText(Path.Combine(work, "tsconfig.json"), """
            { "compilerOptions": { "target": "es2022", "module": "nodenext", "moduleResolution": "nodenext", "strict": true,
              "noUncheckedIndexedAccess": true, "skipLibCheck": true, "outDir": "out" }, "files": ["happy-path.ts"] }
            """);
        Directory.CreateSymbolicLink(Path.Combine(work, "node_modules"), Path.Combine(tools, "node_modules"));
        var compile = await RunAsync(Tool("tsc"), ["-p", "tsconfig.json"]);
        Assert.True(compile.ExitCode == 0, compile.Output + compile.Errors);

        var company = $"co-{Guid.NewGuid():N}";
        var (imapUser, password) = Dovecot.CreateUser("client");
        Dovecot.Plant(imapUser, Mail.Message("lee@lead.example", [Dovecot.Address(imapUser)], "Generated client", DateTimeOffset.UtcNow.AddHours(-1)));
        var run = await RunAsync("node", [Path.Combine("out", "happy-path.js")], new Dictionary<string, string>
        {
            ["MAILSYNC_BASE_URL"] = api.Http.BaseAddress!.ToString().TrimEnd('/'),
            ["MAILSYNC_COMPANY"] = company,
            ["MAILSYNC_USER"] = "ann",
            ["MAILSYNC_EMAIL"] = Dovecot.Address(imapUser),
            ["MAILSYNC_OPERATOR_TOKEN"] = ApiFixture.OperatorToken(),
            ["MAILSYNC_ADMIN_TOKEN"] = ApiFixture.Token(company, "ann", "Administrator"),
            ["MAILSYNC_IMAP_USER"] = imapUser,
            ["MAILSYNC_IMAP_PASSWORD"] = password,
            ["MAILSYNC_IMAP_PORT"] = TestServices.Current.ImapsPort.ToString(),
        });
        Assert.True(run.ExitCode == 0, run.Output + run.Errors);

        var seen = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]).RootElement;
        int Status(string name) => seen.GetProperty(name).GetInt32();
        Assert.Equal(24, Status("operations"));
        Assert.Equal(201, Status("company"));
        Assert.Equal(201, Status("user"));
        Assert.Equal(201, Status("lead"));
        Assert.Equal(202, Status("connect"));
        Assert.Equal("Enabled", seen.GetProperty("status").GetString());
        Assert.Equal("Generated client", seen.GetProperty("timelineSubject").GetString());
        Assert.Equal(0, Status("mailboxErrors"));
        Assert.Equal(1, Status("seatsUsed"));
        Assert.Equal(0, Status("companyErrors"));
        Assert.Equal(202, Status("syncNow"));
        Assert.Equal(204, Status("disconnect"));
    }

    private async Task SaveDocumentAsync()
    {
        var response = await api.Http.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        await File.WriteAllTextAsync(Path.Combine(work, "openapi.json"), await response.Content.ReadAsStringAsync());
    }

    private string Tool(string name) => Path.Combine(tools, "node_modules", ".bin", name);

    private async Task<(int ExitCode, string Output, string Errors)> RunAsync(string file, string[] arguments, Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? []) start.Environment[key] = value;
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(ToolDeadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(file)} did not finish within {ToolDeadline}: {await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }
}
