namespace MailSync.Grains.Sync;

/// <summary>
/// How far a folder has been synced: a changed UIDVALIDITY invalidates <see cref="LastUid"/>.
/// <see cref="UidValidityChanges"/> counts passes in a row that found UIDVALIDITY changed.
/// </summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.FolderCursor")]
public sealed record FolderCursor(
    [property: Id(0)] uint UidValidity,
    [property: Id(1)] uint LastUid,
    [property: Id(2)] ulong? HighestModSeq,
    [property: Id(3)] int UidValidityChanges = 0);
