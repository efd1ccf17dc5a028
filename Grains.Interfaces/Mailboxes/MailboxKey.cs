namespace MailSync.Grains.Interfaces.Mailboxes;

/// <summary>The mailbox grain key <c>{companyId}/{userId}</c>; ids never contain '/'.</summary>
public readonly record struct MailboxKey(string CompanyId, string UserId)
{
    public override string ToString() => $"{CompanyId}/{UserId}";

    public static MailboxKey Parse(string key)
    {
        var slash = key.IndexOf('/');
        if (slash <= 0 || slash == key.Length - 1 || key.IndexOf('/', slash + 1) >= 0)
            throw new FormatException($"'{key}' is not a mailbox key of the form companyId/userId.");
        return new MailboxKey(key[..slash], key[(slash + 1)..]);
    }
}
