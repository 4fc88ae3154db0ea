using ClusterPool.Contracts.Launch;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class WorkerEnvironmentTests
{
    [Fact]
    public void AWorkerGetsItsGcBudgetAndNoToolsDiagnosticPort()
    {
        var environment = new Dictionary<string, string?>
        {
            ["DOTNET_DiagnosticPorts"] = "/tmp/dotnet-trace.socket,suspend,connect",
            ["COMPlus_DiagnosticPorts"] = "/tmp/other.socket",
            ["dotnet_defaultdiagnosticportsuspend"] = "1",
            ["DOTNET_TieredPGO"] = "1",
            ["PATH"] = "/usr/bin",
        };
        WorkerEnvironment.Prepare(environment, 32L << 20);
        Assert.Equal(new Dictionary<string, string?>
        {
            ["DOTNET_TieredPGO"] = "1", ["PATH"] = "/usr/bin", ["DOTNET_GCgen0size"] = "2000000",
        }, environment);
    }
}
