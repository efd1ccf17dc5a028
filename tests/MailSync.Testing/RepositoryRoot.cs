namespace MailSync.Testing;

/// <summary>The checkout the tests run from: the folder above the test binaries that holds MailSync.Orleans.sln.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "MailSync.Orleans.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No MailSync.Orleans.sln above {AppContext.BaseDirectory}.");
    });

    public static string Path => Root.Value;

    /// <summary>A path inside the checkout, e.g. <c>File("docs", "design.md")</c>.</summary>
    public static string File(params string[] parts) => System.IO.Path.Combine([Root.Value, .. parts]);
}
