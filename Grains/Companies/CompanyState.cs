using MailSync.Grains.Interfaces.Companies;

namespace MailSync.Grains.Companies;

[GenerateSerializer]
[Alias("MailSync.CompanyState")]
public sealed class CompanyState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public string Name { get; set; } = "";
    [Id(2)] public SeatLedger Seats { get; set; } = new();
    [Id(3)] public Dictionary<string, CompanyUser> Users { get; set; } = [];
}
