using System.Runtime.InteropServices;

namespace MailSync.Bench;

/// <summary>glibc's malloc figures (all arenas): what native code (OpenSSL) holds, apart from the GC's memory.</summary>
internal static partial class NativeHeap
{
    public static (long InUse, long Arena) Info()
    {
        var info = mallinfo2();
        return ((long)(info.uordblks + info.hblkhd), (long)(info.arena + info.hblkhd));
    }

    public static void Trim() => malloc_trim(0);

    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [LibraryImport("libc")]
    private static partial MallInfo2 mallinfo2();

    [LibraryImport("libc")]
    private static partial int malloc_trim(nuint pad);
}
