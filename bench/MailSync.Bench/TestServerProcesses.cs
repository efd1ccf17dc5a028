using MailSync.Testing;

namespace MailSync.Bench;

/// <summary>The processes of scripts/test-deps.sh's servers, read from their pid files: Azurite, and Dovecot's master.</summary>
public sealed class TestServerProcesses
{
    private static readonly string Deps = Path.GetDirectoryName(TestServices.Current.DovecotDirectory)!;

    public int Dovecot { get; } = int.Parse(File.ReadAllText(Path.Combine(TestServices.Current.DovecotDirectory, "dovecot.pid")).Trim());

    public int Azurite { get; } = int.Parse(File.ReadAllText(Path.Combine(Deps, "azurite.pid")).Trim());

    /// <summary>CPU used so far by Azurite and by Dovecot's process tree (its imap sessions included).</summary>
    public (TimeSpan Azurite, TimeSpan Dovecot) Cpu() => (ProcFs.Cpu(Azurite, children: true), ProcFs.TreeCpu(Dovecot));
}
