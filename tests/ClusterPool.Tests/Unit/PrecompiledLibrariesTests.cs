using System.Reflection.PortableExecutable;
using ClusterPool.Tests.EndToEnd;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// An app's own copies of Akka and the libraries under it are the precompiled (ReadyToRun) ones of the worker host's
/// copy (ClusterPool.ReadyToRun.targets): the pool's actor system runs in the app's process, where the JIT compiled it
/// from the packages' IL at every start. This test project is such an app; PackageTests checks an app of the package.
/// </summary>
public class PrecompiledLibrariesTests
{
    [Theory]
    [InlineData("Akka.dll")]
    [InlineData("Akka.Remote.dll")]
    [InlineData("DotNetty.Transport.dll")]
    [InlineData("Hyperion.dll")]
    [InlineData("ClusterPool.Contracts.dll")]
    public void TheAppsOwnCopyIsPrecompiled(string file) =>
        Assert.True(IsPrecompiled(Path.Combine(Binaries.Dir, file)), $"{file} in the app's output is IL only");

    /// <summary>Whether <paramref name="path"/> holds ReadyToRun code beside its IL.</summary>
    internal static bool IsPrecompiled(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        return pe.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
