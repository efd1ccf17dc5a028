using MailSync.Testing;

namespace MailSync.Bench;

/// <summary>The processes of scripts/test-deps.sh's servers, read from their pid files: Azurite, and Dovecot's master.</summary>
public sealed class TestServerProcesses
{
    private static readonly string Deps = Path.GetDirectoryName(TestServices.Current.DovecotDirectory)!;

    public int Dovecot { get; } = int.Parse(File.ReadAllText(Path.Combine(TestServices.Current.DovecotDirectory, "dovecot.pid")).Trim());

    public int Azurite { get; } = int.Parse(File.ReadAllText(Path.Combine(Deps, "azurite.pid")).Trim());

    /// <summary>CPU used so far by Azurite and by Dovecot's process tree (its imap sessions included).</summary>
    public ServerCpu Cpu() => new(ProcFs.Cpu(Azurite, children: true), ProcFs.TreeCpu(Dovecot));
}

/// <summary>CPU of the test servers: Azurite's, and Dovecot's with its sessions'.</summary>
public readonly record struct ServerCpu(TimeSpan Azurite, TimeSpan Dovecot)
{
    public static ServerCpu operator -(ServerCpu a, ServerCpu b) => new(a.Azurite - b.Azurite, a.Dovecot - b.Dovecot);

    public override string ToString() => $"Azurite {Azurite.TotalMilliseconds:N0} ms, Dovecot {Dovecot.TotalMilliseconds:N0} ms";
}
