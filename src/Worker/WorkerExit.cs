using ClusterPool.Contracts.Launch;

namespace ClusterPool.Worker;

/// <summary>The exit code this worker host process will end with (<see cref="WorkerExitCode"/> says what each
/// means).</summary>
internal static class WorkerExit
{
    private static int _code = WorkerExitCode.LostContact;

    /// <summary>The code this process will exit with: <see cref="WorkerExitCode.LostContact"/> unless something decided
    /// otherwise first.</summary>
    public static int Code => Volatile.Read(ref _code);

    /// <summary>Records why the process is ending; the first reason wins.</summary>
    internal static void Decide(int code) => Interlocked.CompareExchange(ref _code, code, WorkerExitCode.LostContact);
}
