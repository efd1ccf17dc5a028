namespace MailSync.Grains.Sync;

/// <summary>What SELECT told us about a folder: its UIDVALIDITY, UIDNEXT (optional in IMAP) and HIGHESTMODSEQ (CONDSTORE).</summary>
public sealed record FolderFacts(uint UidValidity, uint? UidNext, ulong? HighestModSeq);
