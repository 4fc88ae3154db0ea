using System.CommandLine;
using ClusterPool.Worker;

namespace ClusterPool.Cli;

/// <summary>
/// <c>clusterpool worker</c>: the worker host of cluster mode. Its options are the worker host's own
/// (<see cref="WorkerArguments.Options"/>), shown here by System.CommandLine and read, as every host reads them, by
/// <see cref="WorkerCommand"/>.
/// </summary>
internal static class WorkerVerb
{
    public static Command Create()
    {
        var command = new Command("worker", "Run a worker host that joins a coordinator (cluster mode).");
        var options = WorkerArguments.Options.Select(o => (o.Name, Option: o.Value is null
            ? (Option)new Option<bool>(o.Name) { Description = o.Description, Hidden = o.Hidden }
            : new Option<string?>(o.Name) { Description = o.Description, Hidden = o.Hidden, HelpName = o.Value }))
                .ToList();
        foreach (var (_, option) in options) command.Options.Add(option);
        command.SetAction(async parse =>
        {
            var args = new List<string>();
            foreach (var (name, option) in options)
            {
                if (option is Option<bool> flag) { if (parse.GetValue(flag)) args.Add(name); }
                else if (parse.GetValue((Option<string?>)option) is { } value) args.AddRange([name, value]);
            }
            return await WorkerCommand.RunAsync(args, DefaultApp(), "clusterpool worker");
        });
        return command;
    }

    /// <summary>
    /// Without <c>--app</c>, a host of the tool runs the tool's own functions: <c>clusterpool demo --listen</c> and the
    /// sample work with hosts started as the demo's hint says (<c>clusterpool worker --join HOST:PORT</c>). A tool
    /// published as one file has no assembly path: its hosts run inside the tool's own executable, where its functions
    /// are loaded.
    /// </summary>
    private static string? DefaultApp() => typeof(WorkerVerb).Assembly.Location is { Length: > 0 } path ? path : null;
}
