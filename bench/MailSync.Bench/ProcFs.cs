using System.Globalization;

namespace MailSync.Bench;

/// <summary>What the benchmarks read of other processes from /proc: CPU time, RSS, command lines.</summary>
public static class ProcFs
{
    /// <summary>User + system CPU of a process (with its reaped children's when <paramref name="children"/>); zero once it is gone.</summary>
    public static TimeSpan Cpu(int pid, bool children = false)
    {
        var stat = Stat(pid);
        if (stat is null) return TimeSpan.Zero;
        // After "pid (comm)": state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based in the full line; 1/100 s ticks.
        long Field(int n) => long.Parse(stat[n - 3], CultureInfo.InvariantCulture);
        var ticks = Field(14) + Field(15) + (children ? Field(16) + Field(17) : 0);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>A process and its live children, plus what exited children used (reaped into the parent's cutime).</summary>
    public static TimeSpan TreeCpu(int root)
    {
        var total = Cpu(root, children: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == root) continue;
            if (Stat(pid) is { } stat && int.Parse(stat[1], CultureInfo.InvariantCulture) == root) total += Cpu(pid, children: true);
        }
        return total;
    }

    public static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Every live process whose command line starts with <paramref name="prefix"/> (NULs read as spaces).</summary>
    public static IEnumerable<(int Pid, string CommandLine)> WithCommandLine(string prefix)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // exited meanwhile, or not ours to read
            }
            if (commandLine.StartsWith(prefix, StringComparison.Ordinal)) yield return (pid, commandLine);
        }
    }

    /// <summary>/proc/pid/stat after the command name: [0] state, [1] ppid, ...; null once the process is gone.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
