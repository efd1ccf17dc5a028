namespace MailSync.Testing;

/// <summary>A fixed encryption key for test silos (never a production key).</summary>
public static class TestSecrets
{
    public const string KeyId = "test-1";

    public static readonly string Key = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static Dictionary<string, string?> Settings => new()
    {
        [$"Secrets:Keys:{KeyId}"] = Key,
    };
}
