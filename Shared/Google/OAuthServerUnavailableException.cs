namespace MailSync.Shared.Google;

/// <summary>Google's token server is unreachable or answered with something other than a verdict on the grant.</summary>
public sealed class OAuthServerUnavailableException(string message, Exception inner) : Exception(message, inner);
