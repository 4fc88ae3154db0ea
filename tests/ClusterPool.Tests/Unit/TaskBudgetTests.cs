using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class TaskBudgetTests
{
    [Fact]
    public void ABudgetLetsExactlyItsShareOfTasksStart()
    {
        var budget = new TaskBudget(2);
        Assert.Equal([true, true, false, false], Enumerable.Range(0, 4).Select(_ => budget.TryStart()));
        var unlimited = new TaskBudget(0);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.True(unlimited.TryStart()));
    }
}
