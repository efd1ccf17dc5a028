using System.Runtime.InteropServices;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace MailSync.Testing;

/// <summary>The private Dovecot instance: its users, its certificate, and mail planted straight into Maildir.</summary>
public static partial class Dovecot
{
    private static int plantCounter;

    private static TestServices Services => TestServices.Current;

    /// <summary>
    /// Adds a user with a fresh name, in a passwd-file of its own that Dovecot reads at the first login. <paramref name="withSentFolder"/>
    /// false gives a mailbox without any Sent folder (a per-user override of the autocreated one).
    /// </summary>
    public static (string User, string Password) CreateUser(string prefix = "user", bool withSentFolder = true) =>
        CreateUser(prefix, withSentFolder ? "" : NoSentFolder);

    private const string NoSentFolder = "userdb_namespace/inbox/mailbox/Sent/auto=no";

    /// <summary>A user whose passwd-file line carries <paramref name="extra"/> (userdb fields, space-separated).</summary>
    private static (string User, string Password) CreateUser(string prefix, string extra)
    {
        var user = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        var password = $"pw-{Guid.NewGuid():N}";
        File.WriteAllText(Path.Combine(Services.DovecotDirectory, "users", user), $"{user}:{{PLAIN}}{password}::::::{extra}\n");
        return (user, password);
    }

    /// <summary>
    /// A user whose mailbox has Gmail's layout: "[Gmail]/All Mail" (<c>\All</c>), a virtual folder of every folder but
    /// "Spam" and "Trash", as Gmail's All Mail holds every message once (sent, received, labelled, drafts) and no spam or
    /// trash. Plant Gmail's folders by their names: INBOX, "Sent Mail", "Spam", "Trash", "Drafts", labels ("Clients/Acme").
    /// </summary>
    public static (string User, string Password) CreateGmailUser(string prefix = "gmail")
    {
        var account = CreateUser(prefix, $"{NoSentFolder} userdb_mail_plugins=virtual userdb_namespace/gmail/disabled=no");
        var definition = Path.Combine(Services.DovecotDirectory, "virtual", account.User, "All Mail");
        Directory.CreateDirectory(definition);
        File.WriteAllText(Path.Combine(definition, "dovecot-virtual"), "*\n-Spam\n-Trash\n-[Gmail]/*\n  all\n");
        foreach (var path in new[] { Path.GetDirectoryName(definition)!, definition, Path.Combine(definition, "dovecot-virtual") }) Chown(path);
        return account;
    }

    /// <summary>
    /// Creates an empty folder on disk. Only before the user's first login: afterwards Dovecot lists folders from its own
    /// index, which learns of folders made, renamed or removed over IMAP (as a mail program does: <see cref="ChangeFoldersAsync"/>).
    /// </summary>
    public static void CreateFolder(string user, string folder)
    {
        var directory = FolderDirectory(user, folder);
        string[] subs = [Maildir(user), directory, Path.Combine(directory, "cur"), Path.Combine(directory, "new"), Path.Combine(directory, "tmp")];
        foreach (var sub in subs)
        {
            Directory.CreateDirectory(sub);
            Chown(sub);
        }
    }

    /// <summary>Creates, renames or deletes folders over IMAP, as the user's mail program would.</summary>
    public static async Task ChangeFoldersAsync(string user, string password, Func<ImapClient, Task> change)
    {
        using var client = await ConnectAsync(user, password);
        await change(client);
        await client.DisconnectAsync(true);
    }

    /// <summary>Moves every message of <paramref name="from"/> whose file holds <paramref name="subject"/> into <paramref name="to"/>.</summary>
    public static void MoveMessage(string user, string subject, string from, string to)
    {
        CreateFolder(user, to);
        var source = from == "INBOX" ? Maildir(user) : FolderDirectory(user, from);
        var files = Directory.GetFiles(Path.Combine(source, "cur"))
            .Where(f => File.ReadAllText(f).Contains($"Subject: {subject}\r\n", StringComparison.Ordinal));
        foreach (var file in files)
        {
            var target = Path.Combine(FolderDirectory(user, to), "cur", Path.GetFileName(file));
            File.Move(file, target);
        }
    }

    private static string Maildir(string user) => Path.Combine(Services.DovecotDirectory, "mail", user, "Maildir");

    /// <summary>Maildir++ keeps a folder in a directory named after it, "." for each level ("Clients/Acme" is ".Clients.Acme").</summary>
    private static string FolderDirectory(string user, string folder) => Path.Combine(Maildir(user), "." + folder.Replace('/', '.'));

    /// <summary>SHA-256 thumbprint of the test certificate, for MailSync:TrustedCertificateThumbprints.</summary>
    public static string CertificateThumbprint => Certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);

    /// <summary>Credentials for the sync engine: implicit TLS to the test instance.</summary>
    public static MailSync.Grains.Interfaces.Mailboxes.MailboxCredentials Credentials(string user, string password,
        MailSync.Grains.Interfaces.Mailboxes.ImapSecurity security = MailSync.Grains.Interfaces.Mailboxes.ImapSecurity.Ssl) =>
        new(MailSync.Grains.Interfaces.Mailboxes.MailboxProvider.Custom, Address(user), user, password,
            new("127.0.0.1", security == MailSync.Grains.Interfaces.Mailboxes.ImapSecurity.Ssl ? Services.ImapsPort : Services.ImapPort, security));

    /// <summary>The mailbox's own address in the test messages.</summary>
    public static string Address(string user) => $"{user}@acme.test";

    /// <summary>The self-signed certificate of the test instance, which the tests trust by pinning.</summary>
    public static X509Certificate2 Certificate { get; } =
        X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(TestServices.Current.DovecotDirectory, "server.crt")));

    /// <summary>An authenticated MailKit client over implicit TLS, trusting only the test certificate.</summary>
    public static async Task<ImapClient> ConnectAsync(string user, string password)
    {
        var client = new ImapClient
        {
            ServerCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString(),
        };
        await client.ConnectAsync("127.0.0.1", Services.ImapsPort, SecureSocketOptions.SslOnConnect);
        await client.AuthenticateAsync(user, password);
        return client;
    }

    /// <summary>
    /// Dovecot delays every login from an address after failed ones with new credentials (its auth penalty: 2 s, doubling,
    /// up to 15 s), which would time out other tests' logins from 127.0.0.1. One successful login resets it; a test that
    /// makes logins fail with changing secrets (refreshed tokens) calls this when done.
    /// </summary>
    public static async Task ClearAuthPenaltyAsync()
    {
        var (user, password) = CreateUser("penalty");
        using var client = await ConnectAsync(user, password);
        await client.DisconnectAsync(true);
    }

    /// <summary>
    /// Writes a message straight into the user's Maildir (the way a delivery agent would), owned by the mail
    /// user Dovecot runs as. <paramref name="folder"/> null means INBOX; <paramref name="flags"/> are maildir's letters
    /// ("S" seen, "D" draft).
    /// </summary>
    public static void Plant(string user, MimeMessage message, string? folder = null, string flags = "S")
    {
        var maildir = Maildir(user);
        var folderDir = folder is null ? maildir : FolderDirectory(user, folder);
        foreach (var sub in new[] { maildir, folderDir, Path.Combine(folderDir, "cur"), Path.Combine(folderDir, "new"), Path.Combine(folderDir, "tmp") })
        {
            Directory.CreateDirectory(sub);
            Chown(sub);
        }
        var name = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.M{Interlocked.Increment(ref plantCounter)}P{Environment.ProcessId}.{Guid.NewGuid():N}:2,{flags}";
        // Written in tmp/ and then renamed into cur/, as maildir wants: a server watching INBOX (IDLE) must never see, and
        // cache, a message half written.
        var writing = Path.Combine(folderDir, "tmp", name);
        using (var stream = File.Create(writing))
        {
            message.WriteTo(stream);
        }
        File.SetLastWriteTimeUtc(writing, message.Date.UtcDateTime);
        Chown(writing);
        File.Move(writing, Path.Combine(folderDir, "cur", name));
        Chown(Path.Combine(Services.DovecotDirectory, "mail", user));
    }

    /// <summary>Disconnects every IMAP session of the user on the server side, as a server restart or autologout would.</summary>
    public static async Task KickAsync(string user)
    {
        using var doveadm = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "doveadm", ["-c", Path.Combine(Services.DovecotDirectory, "dovecot.conf"), "kick", user])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await doveadm.StandardOutput.ReadToEndAsync() + await doveadm.StandardError.ReadToEndAsync();
        await doveadm.WaitForExitAsync();
        if (doveadm.ExitCode != 0 || !output.Contains(user, StringComparison.Ordinal))
            throw new InvalidOperationException($"doveadm kick {user} failed ({doveadm.ExitCode}): {output}");
    }

    private static void Chown(string path)
    {
        var (uid, gid) = MailAccount.Value;
        if (chown(path, uid, gid) != 0)
            throw new IOException($"chown {path} failed with errno {Marshal.GetLastPInvokeError()}");
    }

    private static readonly Lazy<(int Uid, int Gid)> MailAccount = new(() =>
    {
        var line = File.ReadLines("/etc/passwd").First(l => l.StartsWith("mail:", StringComparison.Ordinal)).Split(':');
        return (int.Parse(line[2]), int.Parse(line[3]));
    });

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int chown(string path, int owner, int group);
}
