using ClusterPool.Contracts.Launch;
using ClusterPool.Contracts.Security;

namespace ClusterPool.Worker;

/// <summary>
/// Where a worker host's node certificate comes from: a file (<c>--cert</c>) or, for a host its pool started on
/// another machine over SSH, the <see cref="WorkerCommandLine.CertificateVariable"/> environment variable
/// (<c>--cert-from-env</c>), so that nothing secret lies on that machine's disk. The supervisor and its child hosts
/// load it the same way: the children inherit the supervisor's environment and its flag.
/// </summary>
internal static class WorkerCertificate
{
    /// <summary>The variable's name, short: the messages below name it (and never its content).</summary>
    private const string Variable = WorkerCommandLine.CertificateVariable;

    /// <summary>What the variable must hold, for the errors that say it does not.</summary>
    private const string Expected = "the node certificate file's bytes (PKCS#12, as in node.pfx), base64";

    /// <summary>The node certificate <paramref name="options"/> name, or null when the host runs without
    /// TLS.</summary>
    /// <exception cref="ClusterCertificateException">The file or the variable does not hold a node certificate; the
    /// message names which.</exception>
    public static NodeCertificate? Load(WorkerOptions options)
    {
        if (options.CertificateFromEnvironment)
            return FromVariable(Environment.GetEnvironmentVariable(Variable), options.CertificatePassword);
        return options.CertificateFile is { } file ? ClusterCertificates.LoadNode(file, options.CertificatePassword)
            : null;
    }

    /// <summary>Where the certificate of <paramref name="options"/> comes from, for the lines that name it.</summary>
    public static string Source(WorkerOptions options) => options.CertificateFromEnvironment
        ? $"the environment variable {Variable}"
        : options.CertificateFile ?? "no certificate";

    /// <summary>
    /// Takes the certificate out of this process's environment once it is loaded, in a host that starts no other host:
    /// what its tasks start must not inherit the cluster's key. A supervisor keeps it for the children it starts.
    /// </summary>
    public static void ForgetVariable(WorkerOptions options)
    {
        if (options.CertificateFromEnvironment)
            Environment.SetEnvironmentVariable(Variable, null);
    }

    /// <summary>
    /// The node certificate in <paramref name="value"/>, the variable's content (base64 of a node file's bytes). Errors
    /// name the variable, never its content.
    /// </summary>
    /// <exception cref="ClusterCertificateException">The variable is missing, empty, not base64, or not a node
    /// certificate.</exception>
    internal static NodeCertificate FromVariable(string? value, string? password)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ClusterCertificateException(
                $"{WorkerCommandLine.CertificateFromEnvironment}: the environment variable {Variable} is not set; it " +
                $"must hold {Expected}");
        byte[] bytes;
        try { bytes = Convert.FromBase64String(value.Trim()); }
        catch (FormatException)
        {
            throw new ClusterCertificateException(
                $"{WorkerCommandLine.CertificateFromEnvironment}: the environment variable {Variable} is not " +
                $"base64; it must hold {Expected}");
        }
        return ClusterCertificates.LoadNode(bytes, password, $"the environment variable {Variable}");
    }
}
