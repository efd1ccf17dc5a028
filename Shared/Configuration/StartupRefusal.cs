using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailSync.Shared.Configuration;

/// <summary>How a host process ends when its configuration is refused at start.</summary>
public static class StartupRefusal
{
    /// <summary>
    /// Runs the host until it stops (exit code 0). When options validation refuses the configuration at start (a bad value,
    /// a <see cref="DeploymentGuard"/> rule), nothing has been served or joined yet: each reason goes to stderr and the
    /// exit code is 1, instead of an unhandled-exception dump.
    /// </summary>
    public static async Task<int> RunOrRefuseAsync(this IHost host, string hostName)
    {
        try
        {
            await host.RunAsync();
            return 0;
        }
        catch (Exception e) when (Reasons(e) is { Count: > 0 } reasons)
        {
            await Console.Error.WriteLineAsync($"{hostName} refused to start:");
            foreach (var reason in reasons) await Console.Error.WriteLineAsync($"  {reason}");
            return 1;
        }
    }

    private static List<string> Reasons(Exception e) => e switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException many when many.InnerExceptions.All(i => i is OptionsValidationException) =>
            [.. many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(i => i.Failures)],
        _ => [],
    };
}
