namespace MailSync.Grains.Sync;

/// <summary>
/// A pass failed on our side (storage, a grain call, a silo going away), not the mail server's: the attempt is deferred
/// and retried, never shown in the user's error log, never counted toward the 48 h.
/// </summary>
public sealed class PlatformFaultException(string what, Exception? inner)
    : Exception(inner is null ? $"{what} failed" : $"{what} failed: {inner.GetType().Name}", inner);
