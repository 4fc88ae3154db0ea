using System.Text;
using ClusterPool.Contracts.Launch;

namespace ClusterPool.Worker;

/// <summary>
/// The worker host's command line (<c>clusterpool-worker --join HOST:PORT [--slots N] [--app DLL] ...</c>), read by
/// hand: the host ships inside every app that references ClusterPool, and a command-line library there would be forced
/// on the app (an app pinned to another version of it would no longer build). The <c>clusterpool</c> tool shows the
/// same options.
/// </summary>
internal static class WorkerArguments
{
    /// <summary>Every option, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<WorkerOption> Options { get; } =
    [
        new(WorkerCommandLine.Join, "HOST:PORT", "The coordinator's HOST:PORT (required)"),
        new(WorkerCommandLine.Slots, "N", "Tasks this process runs at once (default 1)"),
        new(WorkerCommandLine.App, "DLL", "The application assembly (DLL) that holds the functions"),
        new(WorkerCommandLine.Host, "ADDRESS",
            "Address to bind and advertise (default: the one that reaches the coordinator)"),
        new(WorkerCommandLine.Port, "PORT", "Port to bind (default: any free port)"),
        new(WorkerCommandLine.Certificate, "FILE",
            "The cluster's node certificate (node.pfx from clusterpool cert new): mutually authenticated TLS"),
        new(WorkerCommandLine.CertificatePassword, "PASSWORD",
            $"The certificate file's password (or the {WorkerCommandLine.CertificatePasswordVariable} environment " +
            "variable)"),
        new(WorkerCommandLine.Config, "FILE", "A HOCON file laid over the defaults in hocon/"),
        new(WorkerCommandLine.ParentPid, "PID", "Embedded mode: exit when this process is gone", Hidden: true),
        new(WorkerCommandLine.Embedded, null, "Started by a pool on this machine: plain remoting, not a cluster member",
            Hidden: true),
        new(WorkerCommandLine.Spare, null,
            "Embedded mode: start ahead of the program's next pool; its address comes on stdin", Hidden: true),
        new(WorkerCommandLine.WarmWith, "HOST:PORT",
            "A spare: exercise the connection path with this running pool while it waits", Hidden: true),
        new(WorkerCommandLine.WarmApp, "FILE",
            "A spare: load this application assembly while it waits (none of its code runs)", Hidden: true),
        new(WorkerCommandLine.AnnounceJoin, null, "Say on stderr when the pool welcomes this host", Hidden: true),
        new(WorkerCommandLine.CertificateFromEnvironment, null,
            $"The node certificate is in the {WorkerCommandLine.CertificateVariable} environment variable (PKCS#12, " +
            "base64), not in a file", Hidden: true),
        new(WorkerCommandLine.ExitWithStdin, null,
            "A host started by hand: stop, with its child host, when stdin reaches end-of-file", Hidden: true),
    ];

    /// <summary>True when <paramref name="args"/> ask for help (<c>--help</c>, <c>-h</c>, <c>-?</c>).</summary>
    public static bool AsksForHelp(IEnumerable<string> args) => args.Any(a => a is "--help" or "-h" or "-?");

    /// <summary>
    /// Reads <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the option and what is wrong with
    /// it. <paramref name="defaultApp"/> is the application when <c>--app</c> is not given (the tool's own assembly),
    /// or null.
    /// </summary>
    public static WorkerOptions Parse(IReadOnlyList<string> args, string? defaultApp = null)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = SplitInline(args[i]);
            var option = Options.FirstOrDefault(o => o.Name == name)
                         ?? throw new ArgumentException(
                             $"unknown argument \"{args[i]}\" (clusterpool-worker --help lists the options)");
            string? value = null;
            if (option.Value is not null)
            {
                value = inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException(
                    $"{name} needs a value ({option.Value})"));
            }
            else if (inline is not null) throw new ArgumentException($"{name} takes no value");
            if (!values.TryAdd(name, value)) throw new ArgumentException($"{name} is given twice");
        }
        var spare = values.ContainsKey(WorkerCommandLine.Spare);
        if (spare && !(values.ContainsKey(WorkerCommandLine.Embedded)
            && values.ContainsKey(WorkerCommandLine.ParentPid)))
            throw new ArgumentException(
                "--spare is for workers a pool starts on its own machine (with --embedded and --parent-pid)");
        if (spare && values.ContainsKey(WorkerCommandLine.Join)) throw new ArgumentException(
            "--spare takes its pool's address on stdin, not --join");
        if (values.ContainsKey(WorkerCommandLine.Certificate)
            && values.ContainsKey(WorkerCommandLine.CertificateFromEnvironment))
            throw new ArgumentException(
                $"{WorkerCommandLine.Certificate} and {WorkerCommandLine.CertificateFromEnvironment} cannot both be " +
                $"given: the node certificate comes from a file or from {WorkerCommandLine.CertificateVariable}");
        if (values.ContainsKey(WorkerCommandLine.ExitWithStdin) && values.ContainsKey(WorkerCommandLine.ParentPid))
            throw new ArgumentException(
                $"{WorkerCommandLine.ExitWithStdin} is for a host started by hand, not with " +
                $"{WorkerCommandLine.ParentPid} (whose stdin is its parent's lifeline already)");
        var join = values.GetValueOrDefault(WorkerCommandLine.Join)
            ?? (spare ? "" : throw new ArgumentException("--join is required: the coordinator's HOST:PORT"));
        // A slot is a thread, and a host registers all its slots in one message: 100 million grew a host by 55 MB/s
        // and never joined; 150,000 made that message larger than a frame, refused again every few seconds.
        var slots = Number(values, WorkerCommandLine.Slots, 1, min: 1, max: WorkerCommandLine.MostSlots);
        var config = values.GetValueOrDefault(WorkerCommandLine.Config);
        if (config is not null && !File.Exists(config))
            throw new ArgumentException($"{WorkerCommandLine.Config} names no file: {config}");
        return new WorkerOptions(join, slots, values.GetValueOrDefault(WorkerCommandLine.App) ?? defaultApp,
            values.GetValueOrDefault(WorkerCommandLine.Host),
            Number(values, WorkerCommandLine.Port, 0, min: 0, max: 65_535),
                values.ContainsKey(WorkerCommandLine.ParentPid) ? Number(values, WorkerCommandLine.ParentPid, 0, min: 1)
                : null,
            config)
        {
            Embedded = values.ContainsKey(WorkerCommandLine.Embedded),
            AnnounceJoin = values.ContainsKey(WorkerCommandLine.AnnounceJoin),
            Spare = spare,
            WarmWith = values.GetValueOrDefault(WorkerCommandLine.WarmWith),
            WarmApp = values.GetValueOrDefault(WorkerCommandLine.WarmApp),
            CertificateFile = values.GetValueOrDefault(WorkerCommandLine.Certificate),
            CertificateFromEnvironment = values.ContainsKey(WorkerCommandLine.CertificateFromEnvironment),
            ExitWithStdin = values.ContainsKey(WorkerCommandLine.ExitWithStdin),
            CertificatePassword = values.GetValueOrDefault(WorkerCommandLine.CertificatePassword)
                ?? Environment.GetEnvironmentVariable(WorkerCommandLine.CertificatePasswordVariable),
        };
    }

    /// <summary>What <c>--help</c> prints: the usage line and every option that is not hidden.</summary>
    public static string Usage(string command, string description)
    {
        var text = new StringBuilder().AppendLine(description).AppendLine().AppendLine(
            $"Usage: {command} --join HOST:PORT [options]").AppendLine().AppendLine("Options:");
        foreach (var option in Options.Where(o => !o.Hidden))
            text.AppendLine(
                $"  {(option.Name + (option.Value is null ? "" : " " + option.Value)),-26}{option.Description}");
        return text.AppendLine($"  {"-h, --help",-26}Show this help").ToString();
    }

    // --name=value, as well as --name value
    private static (string Name, string? Value) SplitInline(string arg)
    {
        var equals = arg.IndexOf('=');
        return arg.StartsWith("--", StringComparison.Ordinal)
            && equals > 2 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static int Number(Dictionary<string, string?> values, string name, int otherwise, int min,
        int max = int.MaxValue)
    {
        if (!values.TryGetValue(name, out var text)) return otherwise;
        if (!int.TryParse(text, out var number)) throw new ArgumentException(
            $"{name} takes a whole number, not \"{text}\"");
        if (number < min) throw new ArgumentException($"{name} must be at least {min}, not {number}");
        if (number > max) throw new ArgumentException($"{name} must be at most {max:N0}, not {number:N0}" +
            (name == WorkerCommandLine.Slots ? " (a slot is a thread: start more worker hosts instead)" : ""));
        return number;
    }
}
