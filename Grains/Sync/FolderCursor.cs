namespace MailSync.Grains.Sync;

/// <summary>How far a folder has been synced: a changed UIDVALIDITY invalidates <see cref="LastUid"/>.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.FolderCursor")]
public sealed record FolderCursor(
    [property: Id(0)] uint UidValidity,
    [property: Id(1)] uint LastUid,
    [property: Id(2)] ulong? HighestModSeq);
