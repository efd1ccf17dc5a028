using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;
using MailKit.Net.Imap;
using Microsoft.Extensions.Logging;

namespace MailSync.Grains.Sync;

/// <summary>
/// Asks OpenSSL to free a TLS connection's record buffers (~34 KB) whenever they are empty
/// (<c>SSL_MODE_RELEASE_BUFFERS</c>, as CPython, swift-nio and libetpan set it): a kept IMAP session sits idle or in IDLE
/// nearly all its life, and 10,000 of them held ~320 MB of empty buffers. Neither MailKit nor SslStream exposes the mode,
/// so the SSL handle is reached through their private fields; on a runtime or MailKit whose shape differs, or without
/// OpenSSL (Windows, macOS), nothing is set and one warning says so: sessions then only cost more memory.
/// <c>IdleTlsBuffersTests</c> fails when an upgrade breaks the path.
/// </summary>
public static class IdleTlsBuffers
{
    private const int SslCtrlMode = 33; // SSL_CTRL_MODE
    private const long SslModeReleaseBuffers = 0x10;
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate long SslCtrl(nint ssl, int command, long argument, nint pointer);

    private static readonly Lazy<SslCtrl?> Ctrl = new(LoadSslCtrl);
    private static int warned;

    /// <summary>
    /// Sets the mode on the client's TLS connection, if it has one; true when set. Call it between connecting and the
    /// next command, when no read or write is under way on the connection.
    /// </summary>
    public static bool Release(ImapClient client, ILogger logger)
    {
        if (!client.IsSecure) return false;
        if (Mode(client, SslModeReleaseBuffers, logger) is { } mode && (mode & SslModeReleaseBuffers) != 0) return true;
        if (Interlocked.Exchange(ref warned, 1) == 0)
            logger.LogWarning("OpenSSL's idle buffers cannot be released on this runtime; each kept IMAP session costs ~34 KB more memory");
        return false;
    }

    /// <summary>Whether the client's TLS connection frees its empty buffers (false without TLS).</summary>
    public static bool AreReleased(ImapClient client) =>
        client.IsSecure && Mode(client, 0, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance) is { } mode && (mode & SslModeReleaseBuffers) != 0;

    /// <summary>Adds <paramref name="bits"/> to the connection's mode (none: only reads it) and returns the mode.</summary>
    private static long? Mode(ImapClient client, long bits, ILogger logger)
    {
        try
        {
            if (Ctrl.Value is not { } ctrl || SslHandle(client) is not { } handle) return null;
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return ctrl(handle.DangerousGetHandle(), SslCtrlMode, bits, 0);
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }
        catch (Exception e) when (e is MemberAccessException or InvalidCastException or TargetException or EntryPointNotFoundException or DllNotFoundException)
        {
            logger.LogDebug("Idle TLS buffers: {Fault}", e.GetType().Name);
            return null;
        }
    }

    private static SafeHandle? SslHandle(ImapClient client)
    {
        var engine = Member(client, "engine");
        var imapStream = engine is null ? null : Member(engine, "Stream");
        var ssl = imapStream is null ? null : Member(imapStream, "Stream") as SslStream;
        return ssl is null ? null : Member(ssl, "_securityContext") as SafeHandle;
    }

    private static object? Member(object owner, string name)
    {
        for (var type = owner.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Instance | BindingFlags.DeclaredOnly) is { } field) return field.GetValue(owner);
            if (type.GetProperty(name, Instance | BindingFlags.DeclaredOnly) is { } property) return property.GetValue(owner);
        }
        return null;
    }

    /// <summary>SSL_ctrl of the libssl the runtime itself loaded (OpenSSL 3 or 1.1), never another one.</summary>
    private static SslCtrl? LoadSslCtrl()
    {
        if (!OperatingSystem.IsLinux()) return null;
        var version = System.Security.Cryptography.SafeEvpPKeyHandle.OpenSslVersion;
        var library = (version >> 28) switch
        {
            3 => "libssl.so.3",
            1 when ((version >> 20) & 0xff) == 1 => "libssl.so.1.1",
            _ => null,
        };
        return library is not null && NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, "SSL_ctrl", out var export)
            ? Marshal.GetDelegateForFunctionPointer<SslCtrl>(export)
            : null;
    }
}
