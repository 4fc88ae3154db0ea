using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ClusterPool.Contracts;

/// <summary>
/// Windows' counterpart of a process group (<see cref="ProcessTree"/>): a job object that kills every process in it
/// when its last handle closes, which happens when the process holding it ends, however it ends (<c>taskkill /F</c>
/// too). Processes started by a process in a job join that job. A pool puts its workers in its job; a worker puts
/// itself in a job of its own (jobs nest), so what its tasks start dies with the worker, and everything dies with the
/// pool.
/// </summary>
internal static class WindowsJob
{
    private const int ExtendedLimitInformation = 9;
    private const uint KillOnJobClose = 0x2000;

    private static readonly Lazy<IntPtr> Own = new(Create);

    /// <summary>Puts <paramref name="process"/> into this process's job; false if Windows refused (the stdin lifeline
    /// still holds).</summary>
    public static bool Add(Process process) => Own.Value != IntPtr.Zero
        && AssignProcessToJobObject(Own.Value, process.Handle);

    /// <summary>Puts this process into a job of its own, so everything it starts dies with it.</summary>
    public static bool Enter()
    {
        using var self = Process.GetCurrentProcess();
        return Add(self);
    }

    private static IntPtr Create()
    {
        var job = CreateJobObjectW(IntPtr.Zero, null);
        if (job == IntPtr.Zero) return IntPtr.Zero;
        var limits = new ExtendedLimits { Basic = new BasicLimits { LimitFlags = KillOnJobClose } };
        if (SetInformationJobObject(job, ExtendedLimitInformation, ref limits,
            Marshal.SizeOf<ExtendedLimits>())) return job;
        CloseHandle(job);
        return IntPtr.Zero;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct BasicLimits
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public UIntPtr MinimumWorkingSetSize;
        public UIntPtr MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public UIntPtr Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoCounters
    {
        public ulong ReadOperationCount, WriteOperationCount, OtherOperationCount, ReadTransferCount,
            WriteTransferCount, OtherTransferCount;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct ExtendedLimits
    {
        public BasicLimits Basic;
        public IoCounters Io;
        public UIntPtr ProcessMemoryLimit, JobMemoryLimit, PeakProcessMemoryUsed, PeakJobMemoryUsed;
    }

    [DllImport("kernel32", SetLastError = true, CharSet = CharSet.Unicode)]
    private static extern IntPtr CreateJobObjectW(IntPtr attributes, string? name);

    [DllImport("kernel32", SetLastError = true)]
    private static extern bool SetInformationJobObject(IntPtr job, int infoClass, ref ExtendedLimits info, int length);

    [DllImport("kernel32", SetLastError = true)]
    private static extern bool AssignProcessToJobObject(IntPtr job, IntPtr process);

    [DllImport("kernel32", SetLastError = true)]
    private static extern bool CloseHandle(IntPtr handle);
}
