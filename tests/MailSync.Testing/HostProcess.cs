using System.Diagnostics;

namespace MailSync.Testing;

/// <summary>
/// The built hosts run as processes (<c>dotnet MailSync.Api.dll</c>, <c>dotnet MailSync.Silo.dll</c>, from their own output
/// folders) with only the environment a test gives them: how start-up refusals are seen as an operator sees them.
/// </summary>
public static class HostProcess
{
    /// <summary>A host that neither starts nor refuses within this fails the test instead of hanging it.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public sealed record Exited(int ExitCode, string Stdout, string Stderr);

    /// <summary>The API's environment: free ports, so a host that did start would not collide with anything.</summary>
    public static Dictionary<string, string> ApiEnvironment(string environment, Dictionary<string, string> settings, int? port = null)
    {
        settings["ASPNETCORE_ENVIRONMENT"] = environment;
        settings["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port ?? FreePort.Next()}";
        settings["Orleans__SiloPort"] = FreePort.Next().ToString();
        settings["Orleans__GatewayPort"] = FreePort.Next().ToString();
        return settings;
    }

    public static Dictionary<string, string> SiloEnvironment(string environment, Dictionary<string, string> settings)
    {
        settings["DOTNET_ENVIRONMENT"] = environment;
        settings["Orleans__SiloPort"] = FreePort.Next().ToString();
        settings["Orleans__GatewayPort"] = FreePort.Next().ToString();
        return settings;
    }

    public static ProcessStartInfo Start(string dll, Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Nothing of the test run's own configuration reaches the host: only what the test sets.
        foreach (var name in start.Environment.Keys.Where(Configures).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;

        static bool Configures(string name) => name.Contains("__", StringComparison.Ordinal)
            || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name == "DOTNET_ENVIRONMENT";
    }

    public static async Task<Exited> RunAsync(string dll, Dictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(Start(dll, environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{Path.GetFileName(dll)} did not exit within {Deadline}; stderr: {await stderr}");
        }
        return new Exited(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A host as the build left it: <c>{project}/bin/{configuration}/{tfm}/</c>, the same build as this test assembly.</summary>
    public static string Dll(string project, string assembly)
    {
        var tests = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var (tfm, configuration) = (tests.Name, tests.Parent!.Name);
        for (var dir = tests; dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "MailSync.Orleans.sln"))) continue;
            var dll = Path.Combine(dir.FullName, project, "bin", configuration, tfm, assembly);
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        }
        throw new InvalidOperationException($"No MailSync.Orleans.sln above {AppContext.BaseDirectory}.");
    }
}
