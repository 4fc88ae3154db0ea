using System.Reflection;
using ClusterPool.Contracts.Launch;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// What an app that references the package compiles against: the pool's API, and in the contracts and the worker host
/// only the exceptions a caller catches. PublicAPI.Shipped.txt and PublicAPI.Unshipped.txt beside each project pin
/// the exact list; this says what may be in it at all.
/// </summary>
public class PublicSurfaceTests
{
    private static readonly Assembly Library = typeof(Pool).Assembly;
    private static readonly Assembly Contracts = typeof(WorkerCommandLine).Assembly;
    private static readonly Assembly WorkerHost = Assembly.Load(WorkerProcess.HostAssembly);

    [Fact]
    public void TheWorkerHostMakesNothingPublic() => Assert.Empty(WorkerHost.GetExportedTypes());

    [Fact]
    public void TheContractsMakePublicOnlyExceptionsACallerCatches()
    {
        var exported = Contracts.GetExportedTypes();
        Assert.All(exported, type => Assert.True(typeof(Exception).IsAssignableFrom(type), $"{type} is public"));
        Assert.Equal(
            ["ClusterCertificateException", "PayloadSerializationException", "PayloadTooLargeException", "PoolConfigurationException",
             "WorkerSetupException"],
            exported.Select(t => t.Name).Order());
    }

    [Fact]
    public void EveryExceptionACallerCanCatchIsInTheClusterPoolNamespace()
    {
        var exceptions = new[] { Library, Contracts, WorkerHost }.SelectMany(a => a.GetExportedTypes())
            .Where(t => typeof(Exception).IsAssignableFrom(t)).ToList();
        Assert.NotEmpty(exceptions);
        Assert.All(exceptions, type => Assert.Equal("ClusterPool", type.Namespace));
    }

    [Fact]
    public void TheLibrarysPublicTypesAreThePoolsApiAndItsHostingExtension()
    {
        var namespaces = Library.GetExportedTypes().Select(t => t.Namespace).Distinct().Order();
        Assert.Equal(["ClusterPool", "Microsoft.Extensions.DependencyInjection"], namespaces);
        Assert.DoesNotContain(Library.GetExportedTypes(), t => t.Name is "AkkaLogBridge" or "PoolCoordinator");
    }

    [Fact]
    public void TheLibraryDoesNotCompileAgainstTheWorkerHost()
    {
        // Worker -> Contracts <- Coordinator: what both sides agree on is in Contracts.
        Assert.DoesNotContain(Library.GetReferencedAssemblies(), a => a.Name == WorkerProcess.HostAssembly);
        Assert.Contains(WorkerHost.GetReferencedAssemblies(), a => a.Name == Contracts.GetName().Name);
        Assert.DoesNotContain(WorkerHost.GetReferencedAssemblies(), a => a.Name == Library.GetName().Name);
    }
}
