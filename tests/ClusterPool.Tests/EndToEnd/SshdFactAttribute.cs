using ClusterPool.Bench;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Runs only where the test can make SSH machines (<see cref="SshMachine"/>): network namespaces (root with iproute2,
/// see <see cref="NetnsFactAttribute"/>) and Debian's OpenSSH server and client, as on CI (.ci/run installs them).
/// </summary>
public sealed class SshdFactAttribute : FactAttribute
{
    public SshdFactAttribute() => Skip = WhyNot();

    /// <summary>Why this box cannot make SSH machines, or null.</summary>
    internal static string? WhyNot() => new NetnsFactAttribute().Skip ?? OpenSsh.Value;

    /// <summary>OpenSSH's server and client, installed on first use where the tests may (root with apt-get).</summary>
    private static readonly Lazy<string?> OpenSsh = new(() =>
        DebianPackages.Ensure(SshMachine.Sshd, "openssh-server") ?? SshMachine.MissingOpenSsh());
}
