using System.CommandLine;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Demo;
using ClusterPool.Worker;

namespace ClusterPool.Cli;

/// <summary>
/// The <c>clusterpool</c> command line: <c>demo</c>, <c>worker</c>, <c>bench</c>.
/// Exit codes: 0 done, 1 error (the message names the cause), 2 bad arguments, 130 interrupted.
/// </summary>
internal static class ClusterPoolCommand
{
    public const int Interrupted = 130;

    public static Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("ClusterPool: Python's multiprocessing.Pool for .NET, on worker processes across machines.");
        root.Subcommands.Add(Demo());
        root.Subcommands.Add(WorkerCommand.Create("worker", "Run a worker host that joins a coordinator (cluster mode)."));
        root.Subcommands.Add(BenchCommand.Create());
        return WorkerCommand.InvokeAsync(root, args);
    }

    private static Command Demo()
    {
        var scale = new Option<double>("--scale") { Description = "Multiply the 3, 2, 1 s sleeps by this", DefaultValueFactory = _ => 1.0 };
        var processes = new Option<int>("--processes") { Description = "Worker processes in the pool", DefaultValueFactory = _ => 3 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per method and nothing else on stdout" };
        scale.Validators.Add(r => { if (r.GetValue(scale) < 0) r.AddError("--scale must be 0 or more"); });
        processes.Validators.Add(r => { if (r.GetValue(processes) <= 0) r.AddError("--processes must be at least 1"); });
        var demo = new Command("demo", "The seed article's demo: tasks sleeping 3, 2, 1 s through all eight Pool methods.");
        demo.Options.Add(scale);
        demo.Options.Add(processes);
        demo.Options.Add(json);
        demo.SetAction(parse => Guarded(cancel => DemoRunner.Run(parse.GetValue(scale), parse.GetValue(processes), parse.GetValue(json), cancel)));
        return demo;
    }

    /// <summary>Runs a command body with Ctrl+C wired to cancellation and errors turned into exit codes.</summary>
    public static int Guarded(Func<CancellationToken, int> body)
    {
        using var interrupt = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupt.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try { return body(interrupt.Token); }
        catch (Exception) when (interrupt.IsCancellationRequested)
        {
            Console.Error.WriteLine("clusterpool: interrupted; every worker process was stopped");
            return Interrupted;
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
        finally { Console.CancelKeyPress -= onCancel; }
    }
}
