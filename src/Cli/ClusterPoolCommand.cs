using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using ClusterPool.Dashboard;
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

    /// <summary>The command's name, as the package installs it (the project's ToolCommandName).</summary>
    public const string Name = "clusterpool";

    public static Task<int> InvokeAsync(string[] args) => InvokeAsync(Create(), args);

    /// <summary>
    /// The whole command line. Its root is named <see cref="Name"/>: a <see cref="RootCommand"/> is named after the
    /// executable (ClusterPool.Cli, which the tool's shim runs), and its help would say so.
    /// </summary>
    internal static Command Create()
    {
        var root = new Command(Name,
            "ClusterPool: Python's multiprocessing.Pool for .NET, on worker processes across machines.");
        root.Options.Add(new HelpOption());
        root.Options.Add(new VersionOption());
        root.Subcommands.Add(Demo());
        root.Subcommands.Add(WorkerVerb.Create());
        root.Subcommands.Add(BenchCommand.Create(Guarded));
        root.Subcommands.Add(SampleCommand.Create());
        root.Subcommands.Add(CertCommand.Create());
        return root;
    }

    /// <summary>System.CommandLine's words for a command given without its subcommand, in this culture.</summary>
    private static readonly Lazy<string> CommandMissing = new(() =>
        new Command("a") { new Command("b") }.Parse([]).Errors.Single().Message);

    /// <summary>
    /// Parses and runs: exit code 2 for bad arguments, as every ClusterPool command. A command given without one of
    /// its subcommands (<c>clusterpool</c> alone, <c>clusterpool bogus</c>) is shown with its help, which lists them.
    /// </summary>
    internal static async Task<int> InvokeAsync(Command command, string[] args,
        InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var errors = parsed.Errors.Select(e => e.Message).ToList();
            var missing = errors.Contains(CommandMissing.Value);
            // Beside another error (an unknown command), the missing command is that error's consequence, not news.
            if (errors.Count > 1) errors.Remove(CommandMissing.Value);
            foreach (var error in errors) await configuration.Error.WriteLineAsync($"error: {error}");
            var names = new List<string>();
            for (SymbolResult? result = parsed.CommandResult; result is not null; result = result.Parent)
                if (result is CommandResult found) names.Insert(0, found.Command.Name);
            var path = string.Join(' ', names);
            if (missing)
            {
                await configuration.Error.WriteLineAsync();
                await command.Parse([.. names.Skip(1), "--help"]).InvokeAsync(
                    new InvocationConfiguration { Output = configuration.Error });
            }
            else await configuration.Error.WriteLineAsync($"Run '{path} --help' for its options.");
            return 2;
        }
        return await parsed.InvokeAsync(configuration);
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
    public static Option<string?> DashboardOption()
    {
        var option = new Option<string?>("--dashboard")
        {
            Description =
                "Serve a live dashboard of the pool at HOST:PORT (e.g. 127.0.0.1:8265; port 0 for any free port) " +
                "and print its address on stderr",
        };
        // A bad address is a bad argument, named as the tool's option, before any worker starts.
        option.Validators.Add(result =>
        {
            if (result.GetValue(option) is not { } text) return;
            try { DashboardEndpoint.Parse(text); }
            catch (ArgumentException e) { result.AddError(ToolWords(e)); }
        });
        return option;
    }

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
            Console.Error.WriteLine($"clusterpool: {ToolWords(e)}");
            return e is ArgumentException ? 2 : 1;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"clusterpool: {e.GetType().Name}: {ToolWords(e)}");
            return 1;
        }
    }

    /// <summary>The library's option names in a message, as the tool's options that set them.</summary>
    private static readonly (string Library, string Tool)[] OptionNames =
    [
        ($"{nameof(PoolOptions)}.{nameof(PoolOptions.Dashboard)}", "--dashboard"),
        ($"{nameof(PoolOptions)}.{nameof(PoolOptions.ListenAddress)}", "--listen"),
        ($"{nameof(PoolOptions)}.{nameof(PoolOptions.HostsFile)}", "--hosts-file"),
        ($"{nameof(PoolOptions)}.{nameof(PoolOptions.Hosts)}", "--hosts"),
    ];

    /// <summary>
    /// An exception's message in the tool's words: the options the user gave (<c>--dashboard</c>), not the library's
    /// (<c>PoolOptions.Dashboard</c>), and no "(Parameter 'options')", which names no argument of the command line.
    /// </summary>
    internal static string ToolWords(Exception e)
    {
        var message = e.Message;
        if (e is ArgumentException { ParamName: { } parameter })
        {
            var suffix = $" (Parameter '{parameter}')";
            if (message.EndsWith(suffix, StringComparison.Ordinal)) message = message[..^suffix.Length];
        }
        foreach (var (library, tool) in OptionNames) message = message.Replace(library, tool, StringComparison.Ordinal);
        return message;
    }
}
