using System.CommandLine;
using System.CommandLine.Parsing;
using ClusterPool.Hosts;

namespace ClusterPool.Cli;

/// <summary>
/// The options that give a command's pool machines of its own over SSH (<see cref="PoolOptions.Hosts"/>):
/// <c>--hosts</c>, <c>--hosts-file</c> and <c>--accept-new-host-keys</c>. One set for every command that runs a pool
/// (<c>demo</c>, <c>sample finance</c>), so they read and check them alike; the rest of SSH's settings come from
/// <c>clusterpool.ssh</c> in the configuration (<c>CLUSTERPOOL_CONFIG</c>), as for any pool.
/// </summary>
internal sealed class HostsOptions
{
    private const string SlotsPrefix = "slots=";

    private readonly Option<string[]> _hosts = new("--hosts")
    {
        Description =
            "Start workers on these machines over SSH: one argument per machine, [user@]host[:port], quoted with " +
            "its slots when it has them (\"alice@node1 slots=16\" node2); the option may repeat",
        HelpName = "ENTRY",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _file = new("--hosts-file")
    {
        Description = "A file of --hosts entries, one per line (# starts a comment)",
        HelpName = "FILE",
    };

    private readonly Option<bool> _acceptNew = new("--accept-new-host-keys")
    {
        Description =
            "Trust a host whose key is not in known_hosts yet, and record it (OpenSSH's accept-new); a changed key " +
            "is refused all the same",
    };

    private HostsOptions()
    {
        // A bad entry is a bad argument (exit code 2) before anything starts, named as the pool would name it.
        _hosts.Validators.Add(result =>
        {
            var arguments = result.GetValue(_hosts) ?? [];
            if (arguments.Length > 0 && IsSlots(arguments[0]))
            {
                result.AddError($"--hosts: \"{arguments[0]}\" follows no host: give each host as one argument, " +
                    "quoted with its slots (\"alice@node1 slots=4\")");
                return;
            }
            try { foreach (var entry in Entries(arguments)) HostSpec.Parse(entry); }
            catch (ArgumentException e) { result.AddError($"--hosts: {e.Message}"); }
        });
    }

    /// <summary>Adds the options to <paramref name="command"/>; <see cref="Read(ParseResult)"/> reads them
    /// back.</summary>
    public static HostsOptions AddTo(Command command)
    {
        var options = new HostsOptions();
        command.Options.Add(options._hosts);
        command.Options.Add(options._file);
        command.Options.Add(options._acceptNew);
        return options;
    }

    /// <summary>The hosts the command line names (none when it names none).</summary>
    public HostsChoice Read(ParseResult parse) =>
        new(Entries(parse.GetValue(_hosts)), parse.GetValue(_file), parse.GetValue(_acceptNew));

    /// <summary>The hosts the command line names, read in a validator of the command.</summary>
    public HostsChoice Read(CommandResult result) =>
        new(Entries(result.GetValue(_hosts)), result.GetValue(_file), result.GetValue(_acceptNew));

    /// <summary>
    /// The entries as given, each argument one; a <c>slots=N</c> argument on its own (the quotes forgotten:
    /// <c>--hosts alice@a slots=4 b</c>) belongs to the entry before it, as no host is named so.
    /// </summary>
    private static List<string> Entries(string[]? arguments)
    {
        var entries = new List<string>();
        foreach (var argument in arguments ?? [])
        {
            if (IsSlots(argument) && entries.Count > 0)
                entries[^1] += " " + argument.Trim();
            else entries.Add(argument);
        }
        return entries;
    }

    private static bool IsSlots(string argument) =>
        argument.TrimStart().StartsWith(SlotsPrefix, StringComparison.Ordinal);
}
