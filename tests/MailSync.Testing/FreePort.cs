using System.Net;
using System.Net.Sockets;

namespace MailSync.Testing;

/// <summary>
/// Ports for test servers that must be named before they start (Orleans silo and gateway ports, host processes, a port
/// nobody listens on). A port from bind(0) comes from the kernel's ephemeral range: once released, the kernel may hand it
/// to any outgoing connection before the server binds it. These come from below that range (which nothing assigns by
/// itself), each at most once per process, from a block chosen by the process id so concurrent test processes keep apart.
/// </summary>
public static class FreePort
{
    private const int First = 10_000;
    private const int Last = 32_000; // Linux's ephemeral range starts at 32768
    private const int BlockSize = 400;
    private static readonly object Gate = new();
    private static int next = First + Environment.ProcessId % ((Last - First) / BlockSize) * BlockSize;

    /// <summary>A TCP port on 127.0.0.1 that nobody listens on now and that no other caller in this process gets.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var tried = 0; tried < Last - First; tried++)
            {
                var port = next;
                next = next + 1 >= Last ? First : next + 1;
                if (IsFree(port)) return port;
            }
        }
        throw new InvalidOperationException($"No free TCP port on 127.0.0.1 between {First} and {Last}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
