namespace MailSync.Shared.Storage;

/// <summary>Names of the Orleans providers the grains depend on; the hosts register providers under these names.</summary>
public static class StorageNames
{
    public const string GrainState = "mailsync";
}
