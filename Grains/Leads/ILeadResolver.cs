namespace MailSync.Grains.Leads;

/// <summary>Answers, for a batch of addresses, which belong to leads of the company.</summary>
public interface ILeadResolver
{
    Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ResolveAsync(string companyId, IReadOnlyCollection<string> addresses);
}

