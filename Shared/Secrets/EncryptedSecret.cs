namespace MailSync.Shared.Secrets;

/// <summary>A secret encrypted with AES-GCM: the key id, then nonce ‖ tag ‖ ciphertext in base64.</summary>
[GenerateSerializer, Immutable]
[Alias("MailSync.EncryptedSecret")]
public sealed record EncryptedSecret([property: Id(0)] string KeyId, [property: Id(1)] string Payload);
