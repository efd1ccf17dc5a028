namespace MailSync.Grains.Interfaces.Companies;

/// <summary>How many stored mailbox secrets of a company are sealed under one encryption key.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.SecretKeyCount")]
public sealed record SecretKeyCount([property: Id(0)] string KeyId, [property: Id(1)] int Secrets);
