namespace MailSync.Grains.Interfaces.Companies;

[GenerateSerializer, Immutable]
[Alias("MailSync.UserBilling")]
public sealed record UserBilling([property: Id(0)] string UserId, [property: Id(1)] long BillableSeconds);
