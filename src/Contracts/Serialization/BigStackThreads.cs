using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Threads with a 1 GiB stack (reserved, not used, until a payload needs it) that wait for the next work once one is
/// done: starting a thread took 160-210 µs, more than reading a payload of a few dozen kilobytes, and every payload
/// over <see cref="DeepPayloads.InlineReadLimit"/> was read on a new one. One that waits longer than
/// <see cref="KeepIdle"/> ends.
/// </summary>
internal static class BigStackThreads
{
    private const int StackBytes = 1 << 30;
    private static readonly TimeSpan KeepIdle = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentStack<Runner> Idle = new();

    /// <summary>Runs <paramref name="work"/> on a big-stack thread and waits for it; its exception is rethrown
    /// here.</summary>
    public static T Run<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var runner = Take();
        runner.Run(() =>
        {
            try { result = work(); }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
        });
        Idle.Push(runner);
        failure?.Throw();
        return result;
    }

    private static Runner Take()
    {
        while (Idle.TryPop(out var runner))
            if (runner.TryReserve()) return runner;
        return new Runner();
    }

    /// <summary>One thread and the work handed to it.</summary>
    private sealed class Runner
    {
        private const int Waiting = 0, Reserved = 1, Ended = 2;
        private readonly SemaphoreSlim _work = new(0);
        private readonly ManualResetEventSlim _done = new();
        private Action? _next;
        private int _state = Reserved;

        public Runner() => new Thread(Loop, StackBytes) { Name = "clusterpool-deep-payload", IsBackground = true }
            .Start();

        /// <summary>False if its thread has ended (it waited too long).</summary>
        public bool TryReserve() => Interlocked.CompareExchange(ref _state, Reserved, Waiting) == Waiting;

        public void Run(Action work)
        {
            _next = work;
            _done.Reset();
            _work.Release();
            _done.Wait();
        }

        private void Loop()
        {
            while (true)
            {
                if (!_work.Wait(KeepIdle))
                {
                    // Idle too long: ends unless a caller reserved it meanwhile, whose work then comes.
                    if (Interlocked.CompareExchange(ref _state, Ended, Waiting) == Waiting) return;
                    _work.Wait();
                }
                _next!();
                _next = null;
                Volatile.Write(ref _state, Waiting);
                _done.Set();
            }
        }
    }
}
