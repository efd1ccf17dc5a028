using System.Runtime.InteropServices;
using MailSync.Shared.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailSync.Grains.Sync;

/// <summary>
/// Hands glibc's free heap pages back to the system every <see cref="MailSyncOptions.NativeHeapTrimInterval"/>
/// (<c>malloc_trim</c>). Thousands of TLS handshakes leave freed holes between the long-lived allocations of kept
/// sessions, which glibc keeps resident: at 500 kept sessions a trim gave back ~10 KB of RSS per session. Without glibc
/// (musl, Windows) it does nothing.
/// </summary>
public sealed class NativeHeapTrimmer(IOptions<MailSyncOptions> options) : BackgroundService
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int MallocTrim(nuint pad);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.NativeHeapTrimInterval;
        if (interval <= TimeSpan.Zero || Load() is not { } trim) return;
        using var ticks = new PeriodicTimer(interval);
        while (await ticks.WaitForNextTickAsync(stoppingToken))
        {
            trim(0); // walks each arena's free lists under that arena's lock: milliseconds (scripts/bench.sh sessions)
        }
    }

    private static MallocTrim? Load() =>
        OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var libc)
            && NativeLibrary.TryGetExport(libc, "malloc_trim", out var export)
            ? Marshal.GetDelegateForFunctionPointer<MallocTrim>(export)
            : null;
}
