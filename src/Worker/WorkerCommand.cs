using System.CommandLine;
using ClusterPool.Contracts.Configuration;

namespace ClusterPool.Worker;

/// <summary>The worker host's command line, shared by <c>clusterpool-worker</c> and <c>clusterpool worker</c>.</summary>
public static class WorkerCommand
{
    /// <summary>The environment variable a certificate file's password can come in (kept out of the process list).</summary>
    public const string CertificatePasswordVariable = "CLUSTERPOOL_CERT_PASSWORD";

    /// <summary>Builds the command; its action runs the worker host.</summary>
    /// <param name="name">The command's name (<c>root</c> for the worker's own program).</param>
    /// <param name="description">What <c>--help</c> says the command does.</param>
    /// <param name="defaultApp">
    /// The application a host runs when <c>--app</c> is not given: the <c>clusterpool</c> tool passes its own assembly, so
    /// its hosts run the tool's demo and sample as the demo's hint says; null where the application must be named.
    /// </param>
    public static Command Create(string name, string description, string? defaultApp = null)
    {
        var join = new Option<string>("--join") { Description = "The coordinator's HOST:PORT", Required = true };
        var slots = new Option<int>("--slots") { Description = "Tasks this process runs at once", DefaultValueFactory = _ => 1 };
        var app = new Option<string?>("--app")
        {
            Description = "The application assembly (DLL) that holds the functions" + (defaultApp is null ? "" : " (default: this tool's demo and sample)"),
            DefaultValueFactory = _ => defaultApp,
        };
        var host = new Option<string?>("--host") { Description = "Address to bind and advertise (default: the one that reaches the coordinator)" };
        var port = new Option<int>("--port") { Description = "Port to bind (default: any free port)", DefaultValueFactory = _ => 0 };
        var parentPid = new Option<int?>("--parent-pid") { Description = "Embedded mode: exit when this process is gone", Hidden = true };
        var embedded = new Option<bool>("--embedded") { Description = "Started by a pool on this machine: plain remoting, not a cluster member", Hidden = true };
        var announce = new Option<bool>("--announce-join") { Description = "Say on stderr when the pool welcomes this host", Hidden = true };
        var certificate = new Option<string?>("--cert") { Description = "The cluster's node certificate (node.pfx from clusterpool cert new): mutually authenticated TLS" };
        var certificatePassword = new Option<string?>("--cert-password") { Description = $"The certificate file's password (or the {CertificatePasswordVariable} environment variable)" };
        var config = new Option<string?>("--config") { Description = "A HOCON file laid over the defaults in hocon/" };
        slots.Validators.Add(r => { if (r.GetValue(slots) <= 0) r.AddError("--slots must be at least 1"); });

        var command = name == "root" ? new RootCommand(description) : new Command(name, description);
        foreach (var option in new Option[] { join, slots, app, host, port, parentPid, embedded, announce, certificate, certificatePassword, config }) command.Options.Add(option);
        command.SetAction(async parse =>
        {
            try
            {
                return await WorkerRuntime.RunAsync(new WorkerOptions(parse.GetValue(join)!, parse.GetValue(slots),
                    parse.GetValue(app), parse.GetValue(host), parse.GetValue(port), parse.GetValue(parentPid), parse.GetValue(config))
                {
                    Embedded = parse.GetValue(embedded),
                    AnnounceJoin = parse.GetValue(announce),
                    CertificateFile = parse.GetValue(certificate),
                    CertificatePassword = parse.GetValue(certificatePassword) ?? Environment.GetEnvironmentVariable(CertificatePasswordVariable),
                });
            }
            catch (Exception e) when (e is ArgumentException or PoolConfigurationException or FileNotFoundException or BadImageFormatException
                                           or ClusterPool.Contracts.Security.ClusterCertificateException)
            {
                ProcessConsole.Error.WriteLine($"clusterpool-worker: {e.Message}"); // the real stderr: a worker captures Console for its tasks
                return e is ArgumentException ? 2 : 1;
            }
            catch (Exception e)
            {
                // Anything else is a fault of the host (or of the app it loads): say it whole on the real stderr. Left to
                // the command line, it would go to Console.Error, which by now sends lines to a pool that never hears them.
                ProcessConsole.Error.WriteLine($"clusterpool-worker: the host failed: {e}");
                // Last, the cause in one line: a pool that reports its workers' start-up failures quotes their last lines.
                var cause = e;
                while (cause.InnerException is { } inner) cause = inner;
                ProcessConsole.Error.WriteLine($"clusterpool-worker: the host failed: {cause.GetType().Name}: {cause.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>Parses and runs: exit code 2 for bad arguments, as every ClusterPool command.</summary>
    public static async Task<int> InvokeAsync(Command command, string[] args)
    {
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            return 2;
        }
        return await parsed.InvokeAsync();
    }
}
