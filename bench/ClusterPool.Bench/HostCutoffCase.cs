using ClusterPool.Workers;
using System.Diagnostics;
using ClusterPool.Contracts.Launch;

namespace ClusterPool.Bench;

/// <summary>
/// The resilience suite's network case (ClusterPool only; Python's pool has one machine): a worker host in a network
/// namespace of its own is cut off (link down) for 30 s while it runs an item. Figures: seconds from the cut to that
/// item starting again on the coordinator's side, and from the heal to the host's slot registering again. Needs root
/// and iproute2; skipped (with a line on stderr) without them.
/// </summary>
internal static class HostCutoffCase
{
    public const string Name = "host_cutoff";
    private static readonly TimeSpan CutFor = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static IEnumerable<Figure> Run(string scratch, CancellationToken cancel)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Console.Error.WriteLine("bench: resilience: host_cutoff skipped (network namespaces need root on Linux)");
            return [];
        }
        using var other = new NetworkNamespace();
        var port = LoopbackPort.Free();
        // The coordinator's side: one local worker with two slots, free to take the cut-off host's item.
        // A network of the bench's own (a namespace): plain text, as the figures before TLS.
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"{other.HostAddress}:{port}", Processes = 3, LocalWorkers = 1, SlotsPerProcess = 2,
            InsecurePlaintextOnTrustedNetwork = true });
        var start = other.Wrap(WorkerProcess.StartInfo(["--join", pool.Address, "--app", typeof(HostCutoffCase).Assembly.Location]));
        start.RedirectStandardError = true;
        using var host = Process.Start(start)!;
        host.ErrorDataReceived += (_, _) => { }; // drained: a full pipe must not block the host
        host.BeginErrorReadLine();
        try
        {
            BenchPool.Verify(pool.WaitUntilReady(Limit, slots: 3), "the namespaced worker host never registered");
            var folders = Enumerable.Range(0, 3).Select(i => Directory.CreateDirectory(Path.Combine(scratch, $"cut-{i}")).FullName).ToList();
            var call = pool.MapAsync(ResilienceWorkloads.AnnounceThenSleep, folders.Select(f => (f, 3000)).ToList(), chunksize: 1);
            var local = pool.LocalWorkerProcessIds.ToHashSet();
            var remote = WaitFor(() => folders.FindIndex(f => Directory.GetFiles(f).Any(file => !local.Contains(int.Parse(Path.GetFileName(file))))), cancel);

            var cutAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            other.Cut();
            var results = call.Get(Limit);
            var rerun = (results[remote].StartUnixMs - cutAt) / 1000.0;
            Console.Error.WriteLine($"bench: resilience: the cut-off host's item started again {rerun:0.0} s after the cut");

            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Max(0, cutAt + CutFor.TotalMilliseconds - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
            other.Heal();
            var healed = Stopwatch.StartNew();
            BenchPool.Verify(pool.WaitUntilReady(Limit, slots: 3), "the cut-off host never rejoined");
            return
            [
                new(Name, "rerun_after_cut", Math.Round(rerun, 2), "s"),
                new(Name, "rejoin_after_heal", Math.Round(healed.Elapsed.TotalSeconds, 2), "s"),
            ];
        }
        finally
        {
            try { host.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            host.WaitForExit(5000);
        }
    }

    private static int WaitFor(Func<int> found, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Limit)
        {
            cancel.ThrowIfCancellationRequested();
            if (found() is >= 0 and var index) return index;
            Thread.Sleep(10);
        }
        throw new TimeoutException("the namespaced host never started an item");
    }
}
