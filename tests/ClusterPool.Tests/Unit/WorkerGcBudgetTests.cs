using ClusterPool.Contracts.Launch;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class WorkerGcBudgetTests
{
    [Fact]
    public void AWorkersBudgetIsHexadecimalBytesAndTheUsersOwnStays()
    {
        var fresh = new Dictionary<string, string?>();
        WorkerGcBudget.AddTo(fresh, 64L << 20);
        Assert.Equal("4000000", fresh["DOTNET_GCgen0size"]);

        var users = new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = "200000" };
        WorkerGcBudget.AddTo(users, 64L << 20);
        Assert.Equal("200000", users["DOTNET_GCgen0size"]);

        var dotnets = new Dictionary<string, string?>();
        WorkerGcBudget.AddTo(dotnets, 0);
        Assert.Empty(dotnets);
    }
}
