namespace MailSync.Grains.Leads;

/// <summary>The leads that join and that leave one address's list in a write.</summary>
public sealed record AddressEdit(IReadOnlyList<string> Added, IReadOnlyList<string> Removed);
