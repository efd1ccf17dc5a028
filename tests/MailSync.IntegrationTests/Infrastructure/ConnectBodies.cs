using MailSync.Testing;

namespace MailSync.IntegrationTests.Infrastructure;

/// <summary>Request bodies for <c>POST /v1/companies/{companyId}/users/{userId}/mailbox</c>.</summary>
public static class ConnectBodies
{
    /// <summary>
    /// A custom IMAP mailbox <paramref name="user"/>@acme.test (unless <paramref name="email"/> is given) at 127.0.0.1.
    /// Without <paramref name="port"/> it is a fresh port nobody listens on, so every attempt fails with ConnectionRefused.
    /// </summary>
    public static object Custom(string user, string password = "pw", int? port = null, string security = "ssl", string? email = null) => new
    {
        provider = "custom",
        email = email ?? $"{user}@acme.test",
        username = user,
        password,
        imap = new { host = "127.0.0.1", port = port ?? FreePort.Next(), security },
    };
}
