using System.Security.Cryptography;

namespace ClusterPool.Hosts;

/// <summary>
/// Starts the worker host of one host over SSH, in as few sessions as it can: one when the host has this build
/// already (it says so, and the same session becomes the worker host's), two when it lacks files (the first ships
/// only those, as a tar into the host's cache). Each failure names the host and why.
/// </summary>
internal sealed class RemoteHostSession(HostSpec host, SshSettings ssh, RemoteBuild build)
{
    /// <summary>An argument the host side replaces with the process id of its shell, the worker host's parent
    /// (<c>remote-host.sh</c>).</summary>
    public const string ParentMarker = "@PARENT";

    /// <summary>Opens sessions until the worker host runs; returns its session and what it took.</summary>
    /// <param name="workerArguments">The worker host's own arguments, less its slots (<c>--join</c>, ...).</param>
    /// <param name="environment">Variables of the worker host's besides the app's: its certificate (and password),
    /// which travel in the session and never touch the host's disk.</param>
    /// <param name="cancel">Gives up (the pool stops, or the host takes too long).</param>
    /// <exception cref="RemoteHostException">The host cannot start one; the message says why.</exception>
    public async Task<StartedHost> StartAsync(IReadOnlyList<string> workerArguments,
        IReadOnlyDictionary<string, string> environment, CancellationToken cancel)
    {
        long shippedBytes = 0;
        var shippedFiles = 0;
        for (var session = 0; ; session++)
        {
            var channel = SshChannel.Open(host, ssh);
            try
            {
                var hello = await HelloAsync(channel, cancel).ConfigureAwait(false);
                var lacking = await LackingAsync(channel, hello, cancel).ConfigureAwait(false);
                if (lacking.Trees.Count == 0)
                {
                    var slots = host.Slots ?? hello.Cores;
                    await RunAsync(channel, hello, lacking.RuntimeId, slots, workerArguments, environment, cancel)
                        .ConfigureAwait(false);
                    return new StartedHost(channel, slots, shippedBytes, shippedFiles);
                }
                if (session > 0) Fail($"its cache {hello.Cache} still lacks the files just shipped");
                var (bytes, files) = await ShipAsync(channel, lacking.Trees, cancel).ConfigureAwait(false);
                (shippedBytes, shippedFiles) = (shippedBytes + bytes, shippedFiles + files);
                channel.Dispose();
            }
            catch
            {
                channel.Dispose();
                throw;
            }
        }
    }

    /// <summary>What the host says first: its platform, its cores, its cache.</summary>
    private sealed record Hello(string Rid, int Cores, string Cache);

    private async Task<Hello> HelloAsync(SshChannel channel, CancellationToken cancel)
    {
        string? system = null, machine = null;
        var cores = 1;
        string line;
        while (!(line = await LineAsync(channel, cancel).ConfigureAwait(false)).StartsWith("cache ",
            StringComparison.Ordinal))
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2) continue;
            if (words[0] == "os" && words.Length >= 3) (system, machine) = (words[1], words[2]);
            else if (words[0] == "cores" && int.TryParse(words[1], out var count)) cores = Math.Max(1, count);
        }
        var cache = line["cache ".Length..];
        var rid = RemotePlatform.RuntimeIdentifier(system ?? "?", machine ?? "?")
            ?? Fail<string>($"it runs {system} on {machine}, where .NET does not run");
        return new Hello(rid, cores, cache);
    }

    /// <summary>The trees (app, runtime) the host's cache lacks, and the runtime it runs on when it has no .NET of
    /// its own.</summary>
    private async Task<(List<FileTree> Trees, string? RuntimeId)> LackingAsync(SshChannel channel, Hello hello,
        CancellationToken cancel)
    {
        var app = build.AppFor(hello.Rid);
        await channel.SendAsync($"keep {ssh.KeepBuilds}", cancel).ConfigureAwait(false);
        var lacking = new List<FileTree>();
        if (!await HasAsync(channel, app, cancel).ConfigureAwait(false)) lacking.Add(app);
        if (!build.NeedsDotnet) return (lacking, null);
        await channel.SendAsync($"dotnet {RemoteBuild.RuntimeMajor}", cancel).ConfigureAwait(false);
        var dotnet = await LineAsync(channel, cancel).ConfigureAwait(false);
        if (!dotnet.StartsWith("dotnet none", StringComparison.Ordinal)) return (lacking, null);
        var runtime = build.RuntimeFor(hello.Rid) ?? Fail<FileTree>(
            $"it has no .NET {RemoteBuild.RuntimeMajor} runtime ({Found(dotnet)}), and this machine's " +
            $"({RemoteBuild.LocalRuntimeIdentifier}) cannot run on it ({hello.Rid}): install the .NET " +
            $"{RemoteBuild.RuntimeMajor} and ASP.NET Core {RemoteBuild.RuntimeMajor} runtimes there " +
            "(https://learn.microsoft.com/dotnet/core/install/linux), or publish the app self-contained for it");
        if (!await HasAsync(channel, runtime, cancel).ConfigureAwait(false)) lacking.Add(runtime);
        return (lacking, runtime.Id);
    }

    private static string Found(string dotnetLine) => dotnetLine.Length > "dotnet none".Length
        ? "found:" + dotnetLine["dotnet none".Length..] : "none found";

    private async Task<bool> HasAsync(SshChannel channel, FileTree tree, CancellationToken cancel)
    {
        await channel.SendAsync($"has {tree.Kind} {tree.Id}", cancel).ConfigureAwait(false);
        return (await LineAsync(channel, cancel).ConfigureAwait(false)).EndsWith(" yes", StringComparison.Ordinal);
    }

    /// <summary>Sends the manifests, learns which files the host lacks, and ships those; the session then
    /// ends.</summary>
    private async Task<(long Bytes, int Files)> ShipAsync(SshChannel channel, List<FileTree> trees,
        CancellationToken cancel)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var needed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var tree in trees)
        {
            await channel.SendAsync($"manifest {tree.Kind} {tree.Id} {token}", cancel).ConfigureAwait(false);
            foreach (var line in tree.ManifestLines()) await channel.SendAsync(line, cancel).ConfigureAwait(false);
            await channel.SendAsync(".", cancel).ConfigureAwait(false);
            while (await LineAsync(channel, cancel).ConfigureAwait(false) is var line && line != "needed")
                if (line.StartsWith("need ", StringComparison.Ordinal)) needed.Add(line[5..]);
        }
        await channel.SendAsync($"receive {token}", cancel).ConfigureAwait(false);
        long bytes;
        try { bytes = await TarShipment.WriteAsync(channel.Input, token, trees, needed, cancel).ConfigureAwait(false); }
        catch (IOException)
        {
            // The host stopped reading (its disk is full, say): its last line says why.
            while (true) await LineAsync(channel, cancel).ConfigureAwait(false);
        }
        channel.CloseInput();
        var installed = 0;
        while (installed < trees.Count)
            if ((await LineAsync(channel, cancel).ConfigureAwait(false)).StartsWith("installed "))
                installed++;
        return (bytes, needed.Count);
    }

    /// <summary>Starts the worker host: its command, with paths into the cache, and its environment.</summary>
    private async Task RunAsync(SshChannel channel, Hello hello, string? runtimeId, int slots,
        IReadOnlyList<string> workerArguments, IReadOnlyDictionary<string, string> environment,
        CancellationToken cancel)
    {
        var app = build.AppFor(hello.Rid);
        var command = build.Command(hello.Rid,
            [.. workerArguments, Contracts.Launch.WorkerCommandLine.Slots, slots.ToString()], out var problem)
            ?? Fail<IReadOnlyList<string>>(problem!);
        await channel.SendAsync($"run {app.Id} {runtimeId ?? "-"}", cancel).ConfigureAwait(false);
        foreach (var (name, value) in build.Environment.Concat(environment))
            await channel.SendAsync($"env {name}={value}", cancel).ConfigureAwait(false);
        foreach (var word in command) await channel.SendAsync($"arg {word}", cancel).ConfigureAwait(false);
        await channel.SendAsync("go", cancel).ConfigureAwait(false);
        while (await LineAsync(channel, cancel).ConfigureAwait(false) != "starting") { }
    }

    // The host side said hello: it runs (a host whose shell is not POSIX never does).
    private bool _greeted;

    /// <summary>The host's next line; an <c>error</c> line, or the session's end, is the host's failure.</summary>
    private async Task<string> LineAsync(SshChannel channel, CancellationToken cancel)
    {
        var line = await channel.ReadAsync(cancel).ConfigureAwait(false);
        if (line is null)
        {
            int code;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel))
            {
                wait.CancelAfter(TimeSpan.FromSeconds(5));
                try { code = await channel.ExitAsync(wait.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) { code = -1; }
            }
            Fail(code == 255
                ? SshFailure.Explain(host, ssh, channel.Stderr, h => HostKeyScan.Fingerprints(h, ssh))
                : !_greeted
                    ? $"it did not run the pool's POSIX shell script (exit code {code}{Last(channel)}): hosts are " +
                        "started over SSH on Linux and macOS; on a Windows host, start `clusterpool worker --join` " +
                        "by hand (README, Workers on other machines)"
                    : $"its session ended (exit code {code}){Last(channel)}");
        }
        if (line.StartsWith("error ", StringComparison.Ordinal)) Fail(Explain(line[6..]));
        _greeted |= line.StartsWith("hello ", StringComparison.Ordinal);
        return line;
    }

    private static string Last(SshChannel channel) => channel.LastStderrLines(3) is { Count: > 0 } lines
        ? ": " + string.Join(" / ", lines) : "";

    /// <summary>The host side's error line (<c>KIND text</c>) in words.</summary>
    private static string Explain(string error) => error.StartsWith("disk ", StringComparison.Ordinal)
        ? $"its disk refused the cache ({error[5..]}): free some space there, or set clusterpool.ssh.remote-cache"
        : error;

    private T Fail<T>(string why) => throw Error(why);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(string why) => throw Error(why);

    private RemoteHostException Error(string why) => new(host.Name, $"host {host.Name}: {why}");
}
