using Azure;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace MailSync.Shared.Cluster;

/// <summary>
/// Faults of the platform that pass on their own: a silo gone or starting, a grain call timing out, storage unavailable
/// or throttling. Callers retry or defer them; they never become a user's error or a 500.
/// </summary>
public static class TransientFaults
{
    public static bool Is(Exception? error)
    {
        for (; error is not null; error = error.InnerException)
        {
            switch (error)
            {
                case SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException or ConnectionFailedException
                    or ClientNotAvailableException or OrleansLifecycleCanceledException or InconsistentStateException or TimeoutException:
                    return true;
                // Azure.Core reports a storage account it cannot reach as status 0, after its own retries.
                case RequestFailedException storage when storage.Status is 0 or 408 or 429 or >= 500:
                    return true;
            }
        }
        return false;
    }
}
