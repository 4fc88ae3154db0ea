using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// Who a call's function is in a checkpoint (FunctionReference.CheckpointIdentity): its name and types, and for a
/// lambda, whose name is the compiler's numbering, what its body does.
/// </summary>
public class CheckpointIdentityTests
{
    private static string Identity(Delegate function) =>
        FunctionReference.CheckpointIdentity(FunctionReference.From(function));

    [Fact]
    public void TwoLambdasWithOtherBodiesDifferAndOneLambdaIsAlwaysTheSame()
    {
        Func<int, double> doubled = static x => x * 2.0, hundredfold = static x => x * 100.0;
        Assert.NotEqual(Identity(doubled).Split(" body ")[1], Identity(hundredfold).Split(" body ")[1]);
        Assert.Equal(Identity(doubled), Identity(doubled));
        Assert.Contains("(System.Int32) -> System.Double body ", Identity(doubled));
    }

    [Fact]
    public void ANamedMethodIsKnownByItsNameAndTypesNotItsBody()
    {
        var identity = Identity(TestFunctionsForIdentity.Score);
        Assert.Equal("ClusterPool.Tests.Unit.TestFunctionsForIdentity.Score(System.Int32) -> System.String", identity);
        Assert.Equal("ClusterPool.Tests.Unit.TestFunctionsForIdentity.ScoreAsync(System.Int32) -> " +
            "System.Threading.Tasks.Task`1[System.Double]", Identity(TestFunctionsForIdentity.ScoreAsync));
    }
}

/// <summary>Functions whose checkpoint identity the tests read.</summary>
public static class TestFunctionsForIdentity
{
    /// <summary>A score as text.</summary>
    public static string Score(int x) => $"s{x}";

    /// <summary>A score, later.</summary>
    public static Task<double> ScoreAsync(int x) => Task.FromResult(x * 0.5);
}
