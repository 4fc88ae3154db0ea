using System.CommandLine;
using ClusterPool.Demo;
using ClusterPool.Lifecycle;

namespace ClusterPool.Cli;

/// <summary>
/// The <c>clusterpool</c> command line: <c>demo</c>, <c>worker</c>, <c>bench</c>, <c>sample</c>.
/// Exit codes: 0 done, 1 error (the message names the cause), 2 bad arguments, 130 interrupted (143 by SIGTERM).
/// </summary>
internal static class ClusterPoolCommand
{
    /// <summary>How long an interrupted command may take to stop cleanly before it exits regardless.</summary>
    // Longer than a pool's grace period (PoolOptions.ShutdownGrace, 5 s by default) plus stopping its workers.
    private static readonly TimeSpan ForcedExitAfter = TimeSpan.FromSeconds(30);

    public static Task<int> InvokeAsync(string[] args)
    {
        var root =
            new RootCommand(
            "ClusterPool: Python's multiprocessing.Pool for .NET, on worker processes across machines.");
        root.Subcommands.Add(Demo());
        root.Subcommands.Add(WorkerVerb.Create());
        root.Subcommands.Add(BenchCommand.Create(Guarded));
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(CertCommand.Create());
        return InvokeAsync(root, args);
    }

    /// <summary>Parses and runs: exit code 2 for bad arguments, as every ClusterPool command.</summary>
    private static async Task<int> InvokeAsync(Command command, string[] args)
    {
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            return 2;
        }
        return await parsed.InvokeAsync();
    }

    private static Command Demo()
    {
        var scale = new Option<double>("--scale")
        {
            Description = "Multiply the 3, 2, 1 s sleeps by this",
            DefaultValueFactory = _ => 1.0
        };
        var processes = new Option<int>("--processes")
        {
            Description = "Worker processes in the pool (with --hosts: on this machine, besides the hosts' slots)",
            DefaultValueFactory = _ => 3
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per method and nothing else on stdout"
        };
        var listen = new Option<string?>("--listen")
        {
            Description =
                "Cluster mode: listen on HOST:PORT and wait for --processes worker hosts to join (clusterpool worker " +
                "--join HOST:PORT) instead of starting local workers. With --hosts: the address the hosts reach this " +
                "machine at (the pool starts its hosts, and --processes workers here)"
        };
        var dashboard = DashboardOption();
        NumberOption.Require(scale, s => s >= 0, "0 or more");
        NumberOption.Require(processes, p => p > 0, "at least 1");
        var demo =
            new Command("demo", "The seed article's demo: tasks sleeping 3, 2, 1 s through all eight Pool methods.");
        demo.Options.Add(scale);
        demo.Options.Add(processes);
        demo.Options.Add(json);
        demo.Options.Add(listen);
        demo.Options.Add(dashboard);
        var hosts = HostsOptions.AddTo(demo);
        demo.SetAction(parse => Guarded(cancel => DemoRunner.Run(
            parse.GetValue(scale), parse.GetValue(processes), parse.GetValue(json),
            parse.GetValue(listen), parse.GetValue(dashboard), hosts.Read(parse), cancel)));
        return demo;
    }

    /// <summary><c>--dashboard HOST:PORT</c>, for the commands that run a pool
    /// (<see cref="PoolOptions.Dashboard"/>).</summary>
    public static Option<string?> DashboardOption() => new("--dashboard")
    {
        Description =
            "Serve a live dashboard of the pool at HOST:PORT (e.g. 127.0.0.1:8265; port 0 for any free port) and " +
            "print its address on stderr",
    };

    /// <summary>Says once, on stderr (stdout is the command's), where the pool's dashboard is, if it has one.</summary>
    public static void AnnounceDashboard(Pool pool)
    {
        if (pool.DashboardAddress is { } url) Console.Error.WriteLine($"dashboard: {url}");
    }

    /// <summary>
    /// Runs a command body with Ctrl+C (SIGINT) and SIGTERM wired to cancellation, and errors turned into exit codes.
    /// A pool running in the body hears the signal too (<see cref="InterruptSignals"/>) and stops cleanly within its
    /// grace period: the body then sees a <see cref="PoolInterruptedException"/> and the command exits with 130 (143
    /// after SIGTERM). A second signal skips the grace period; a third exits at once. Whatever happens, an interrupt
    /// never hangs: a while after the first signal the process exits (the pool's exit hook stops the workers).
    /// </summary>
    public static int Guarded(Func<CancellationToken, int> body)
    {
        using var interrupt = new CancellationTokenSource();
        using var signals = InterruptSignals.Listen(count =>
        {
            interrupt.Cancel();
            if (count == 1) Task.Delay(ForcedExitAfter).ContinueWith(
                _ => Environment.Exit(InterruptSignals.ExitCode), TaskScheduler.Default);
        });
        try
        {
            var code = body(interrupt.Token);
            return InterruptSignals.Count > 0 ? InterruptSignals.ExitCode : code;
        }
        catch (Exception) when (InterruptSignals.Count > 0)
        {
            Console.Error.WriteLine("clusterpool: interrupted; every worker process was stopped");
            return InterruptSignals.ExitCode;
        }
        catch (Exception e) when (e is PoolConfigurationException or ArgumentException)
        {
            Console.Error.WriteLine($"clusterpool: {e.Message}");
            return e is ArgumentException ? 2 : 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"clusterpool: {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }
}
