using System.Runtime.InteropServices;

namespace Reframe.Media.Ffmpeg;

/// <summary>SIGINT for a graceful ffmpeg stop: ffmpeg then finishes the file it writes (trailer, moov) and exits.</summary>
internal static partial class PosixSignals
{
    private const int SigInt = 2;

    public static bool TryInterrupt(int processId)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }
        try
        {
            return Kill(processId, SigInt) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
