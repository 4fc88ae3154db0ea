namespace ClusterPool.Contracts.Launch;

/// <summary>
/// What a pool and the worker hosts it starts agree on about starting one: the host's options, the environment
/// variables a certificate and its password travel in, and the line a pool writes on its worker's stdin once it
/// listens. The host reads them (<c>WorkerArguments</c>, <c>ParentWatch</c>); the pool writes them
/// (<c>LocalWorkerSpawner</c>).
/// </summary>
internal static class WorkerCommandLine
{
    /// <summary>The coordinator's <c>HOST:PORT</c>.</summary>
    public const string Join = "--join";

    /// <summary>Tasks the process runs at once.</summary>
    public const string Slots = "--slots";

    /// <summary>The most slots one worker host runs: a slot is a thread, and a host registers all of its slots in one
    /// message, which must fit a frame.</summary>
    public const int MostSlots = 4_096;

    /// <summary>The application assembly that holds the functions.</summary>
    public const string App = "--app";

    /// <summary>The address to bind and advertise.</summary>
    public const string Host = "--host";

    /// <summary>The port to bind.</summary>
    public const string Port = "--port";

    /// <summary>The cluster's node certificate.</summary>
    public const string Certificate = "--cert";

    /// <summary>The certificate file's password (or <see cref="CertificatePasswordVariable"/>).</summary>
    public const string CertificatePassword = "--cert-password";

    /// <summary>
    /// The cluster's node certificate is in <see cref="CertificateVariable"/>, not in a file: a host its pool starts
    /// on another machine over SSH keeps nothing secret on that machine's disk.
    /// </summary>
    public const string CertificateFromEnvironment = "--cert-from-env";

    /// <summary>
    /// A host started by hand (a supervisor) stops when its stdin reaches end-of-file: whoever started it (a script, a
    /// scheduler's session over SSH) holds the other end, and its end closes it; sshd sends no signal. (A pool that
    /// starts hosts over SSH runs them without a supervisor.)
    /// </summary>
    public const string ExitWithStdin = "--exit-with-stdin";

    /// <summary>A HOCON file laid over the defaults.</summary>
    public const string Config = "--config";

    /// <summary>Embedded mode: exit when this process is gone.</summary>
    public const string ParentPid = "--parent-pid";

    /// <summary>Started by a pool on this machine: plain remoting, not a cluster member.</summary>
    public const string Embedded = "--embedded";

    /// <summary>A spare, started ahead of the program's next pool: its address comes on stdin
    /// (<see cref="JoinLine"/>).</summary>
    public const string Spare = "--spare";

    /// <summary>A spare: exercise the connection path with this running pool while it waits.</summary>
    public const string WarmWith = "--warm-with";

    /// <summary>A spare: load this application assembly while it waits (its file and its dependency list; none of its
    /// code runs).</summary>
    public const string WarmApp = "--warm-app";

    /// <summary>Say on stderr when the pool welcomes this host.</summary>
    public const string AnnounceJoin = "--announce-join";

    /// <summary>The environment variable a certificate file's password can come in (kept out of the process
    /// list).</summary>
    public const string CertificatePasswordVariable = "CLUSTERPOOL_CERT_PASSWORD";

    /// <summary>
    /// The environment variable that holds the node certificate for <see cref="CertificateFromEnvironment"/>: the
    /// node file's bytes (PKCS#12, as <c>clusterpool cert new</c> writes <c>node.pfx</c>), base64. Never printed.
    /// </summary>
    public const string CertificateVariable = "CLUSTERPOOL_CERT_PFX";

    private const string JoinPrefix = "join ";

    /// <summary>What a pool at <paramref name="address"/> (<c>HOST:PORT</c>) writes on a worker's stdin once it
    /// listens.</summary>
    public static string JoinLine(string address) => JoinPrefix + address;

    /// <summary>True when <paramref name="line"/>, read from stdin, is a <see cref="JoinLine"/>; its address
    /// then.</summary>
    public static bool TryReadJoinLine(string line, out string address)
    {
        address = line.StartsWith(JoinPrefix, StringComparison.Ordinal) ? line[JoinPrefix.Length..].Trim() : "";
        return address.Length > 0;
    }

    /// <summary>
    /// The arguments every worker a pool starts on its own machine gets, whichever pool it joins in the end.
    /// </summary>
    public static string[] EmbeddedWorker(int slots, int parentPid, string? certificateFile) =>
    [
        Slots, slots.ToString(), ParentPid, parentPid.ToString(), Embedded,
        .. certificateFile is null ? Array.Empty<string>() : [Certificate, certificateFile],
    ];
}
