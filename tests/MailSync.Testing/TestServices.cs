using System.Net.Sockets;

namespace MailSync.Testing;

/// <summary>
/// The real servers the suite talks to (Azurite, Dovecot), started by <c>scripts/test-deps.sh start</c>, found
/// through environment variables or <c>.testdeps/services.env</c>. Missing servers fail the test with the command
/// that starts them; nothing is skipped silently.
/// </summary>
public sealed record TestServices(string TablesConnectionString, int ImapPort, int ImapsPort, string DovecotDirectory, int GooglePort)
{
    public const string SetupHint =
        "Run the test suite with `scripts/test.sh`, or start the servers once with `scripts/test-deps.sh start` and then use `dotnet test`.";

    private static readonly Lazy<TestServices> Instance = new(Discover);

    /// <summary>The running servers; throws with <see cref="SetupHint"/> when they are not there.</summary>
    public static TestServices Current => Instance.Value;

    /// <summary>The running servers, or null without them: for fixtures whose server-free tests also run alone.</summary>
    public static TestServices? IfRunning
    {
        get
        {
            try
            {
                return Instance.Value;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    private static TestServices Discover()
    {
        var values = ReadEnvFile();
        string Get(string key) =>
            Environment.GetEnvironmentVariable(key) is { Length: > 0 } fromEnv ? fromEnv
            : values.TryGetValue(key, out var fromFile) ? fromFile
            : throw new InvalidOperationException($"Test servers are not running ({key} is not set). {SetupHint}");

        var services = new TestServices(
            Get("MAILSYNC_TEST_TABLES"),
            int.Parse(Get("MAILSYNC_TEST_IMAP_PORT")),
            int.Parse(Get("MAILSYNC_TEST_IMAPS_PORT")),
            Get("MAILSYNC_TEST_DOVECOT_DIR"),
            int.Parse(Get("MAILSYNC_TEST_GOOGLE_PORT")));
        services.RequireListening("Dovecot IMAP", services.ImapPort);
        services.RequireListening("Dovecot IMAPS", services.ImapsPort);
        services.RequireListening("Azurite", TablePort(services.TablesConnectionString));
        return services;
    }

    /// <summary>Where <c>scripts/test-deps.sh</c> installed the OpenAPI tools (redocly, openapi-typescript, openapi-fetch, typescript).</summary>
    public static string OpenApiToolsDirectory
    {
        get
        {
            const string key = "MAILSYNC_TEST_OPENAPI_TOOLS";
            var directory = Environment.GetEnvironmentVariable(key) is { Length: > 0 } fromEnv ? fromEnv
                : ReadEnvFile().TryGetValue(key, out var fromFile) ? fromFile
                : throw new InvalidOperationException($"The OpenAPI tools are not installed ({key} is not set). {SetupHint}");
            return Directory.Exists(Path.Combine(directory, "node_modules", ".bin"))
                ? directory
                : throw new InvalidOperationException($"The OpenAPI tools are missing under {directory}. {SetupHint}");
        }
    }

    private static int TablePort(string connectionString)
    {
        var endpoint = connectionString.Split(';').First(p => p.StartsWith("TableEndpoint=", StringComparison.Ordinal));
        return new Uri(endpoint["TableEndpoint=".Length..]).Port;
    }

    private void RequireListening(string name, int port)
    {
        try
        {
            using var socket = new TcpClient();
            socket.Connect("127.0.0.1", port);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"{name} does not answer on 127.0.0.1:{port} ({e.SocketErrorCode}). {SetupHint}");
        }
    }

    private static Dictionary<string, string> ReadEnvFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, ".testdeps", "services.env");
            if (File.Exists(file))
            {
                return File.ReadAllLines(file)
                    .Select(line => line.Split('=', 2))
                    .Where(parts => parts.Length == 2)
                    .ToDictionary(parts => parts[0], parts => parts[1].Trim('\''));
            }
        }
        return [];
    }
}
