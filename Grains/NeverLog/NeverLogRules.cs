using MailSync.Grains.Interfaces.NeverLog;

namespace MailSync.Grains.NeverLog;

/// <summary>
/// What one mailbox may record. A message with any participant on the company's or the user's never-log list is not
/// recorded at all, on any lead's timeline; an address at one of the company's own domains is never matched as a lead
/// (colleagues writing to each other), unless the company logs internal emails.
/// </summary>
public sealed class NeverLogRules
{
    private readonly HashSet<string> neverLog = new(StringComparer.Ordinal);
    private readonly HashSet<string> internalDomains = new(StringComparer.Ordinal);

    public NeverLogRules(IEnumerable<string> neverLogValues, InternalMail internalMail, string ownAddress)
    {
        neverLog.UnionWith(neverLogValues);
        if (internalMail.LogInternalEmails) return;
        internalDomains.UnionWith(internalMail.Domains);
        if (NeverLogValue.Normalize(ownAddress) is { } own && NeverLogValue.DomainsOf(own).FirstOrDefault() is { } domain
            && !PublicMailDomains.Contains(domain))
            internalDomains.Add(domain);
    }

    /// <summary>The address, or its domain or a domain above it, is on a never-log list.</summary>
    public bool NeverLogs(string address) => neverLog.Count > 0 && NeverLogValue.Covers(neverLog, NeverLogValue.OfAddress(address));

    /// <summary>The address is at one of the company's own domains (or below one).</summary>
    public bool IsInternal(string address) =>
        internalDomains.Count > 0 && NeverLogValue.DomainsOf(NeverLogValue.OfAddress(address)).Any(internalDomains.Contains);

    /// <summary>The matches without internal addresses.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> WithoutInternal(IReadOnlyDictionary<string, IReadOnlyList<string>> matches) =>
        internalDomains.Count == 0
            ? matches
            : matches.Where(m => !IsInternal(m.Key)).ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase);
}
