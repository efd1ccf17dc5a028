using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Grains.Companies;

/// <summary>The company's own state: a few bytes whatever its size (seats and users are rows of their own).</summary>
[GenerateSerializer]
[Alias("MailSync.CompanyState")]
public sealed class CompanyState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(4)] public int MailboxSyncLimit { get; set; }
    [Id(5)] public OtherMailAccounts OtherMailAccounts { get; set; }
}
