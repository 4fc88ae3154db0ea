using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class FunctionReferenceTests
{
    private static int Twice(int x) => 2 * x;

    [Fact]
    public void AStaticMethodIsNamedByAssemblyTypeAndMethod()
    {
        var reference = FunctionReference.From(new Func<int, int>(Twice));
        Assert.Equal(typeof(FunctionReferenceTests).FullName, reference.TypeName);
        Assert.Equal(nameof(Twice), reference.MethodName);
        Assert.Equal(typeof(FunctionReferenceTests).Assembly.ManifestModule.ModuleVersionId, reference.ModuleVersionId);
        Assert.False(reference.OnSingletonClosure);
    }

    [Fact]
    public void ALambdaThatCapturesNothingIsAccepted()
    {
        var reference = FunctionReference.From(new Func<int, int>(x => x + 1));
        Assert.True(reference.OnSingletonClosure);
    }

    [Fact]
    public void ALambdaThatCapturesIsRefusedWithAdviceToPassArguments()
    {
        var offset = Random.Shared.Next();
        var error = Assert.Throws<ArgumentException>(() => FunctionReference.From(new Func<int, int>(x => x + offset)));
        Assert.Contains("captures variables", error.Message);
        Assert.Contains("offset", error.Message);
        Assert.Contains("pass the values as arguments", error.Message);
    }

    private readonly int _offset = Random.Shared.Next();

    [Fact]
    public void ACapturingLambdaIsNamedByItsVariablesNotByTheCompilersFields()
    {
        var outer = Random.Shared.Next();
        for (var i = 0; i < 1; i++)
        {
            var inner = i; // a closure of its own, which holds the outer scope's closure (and that one, this)
            var error = Assert.Throws<ArgumentException>(() => FunctionReference.From(
                new Func<int, int>(x => x + outer + inner + _offset)));
            Assert.Equal(["inner", "outer", "this"], error.Message.Split('(', ')')[1].Split(", ").Order());
        }
    }

    /// <summary>One closure serves every lambda of a scope: naming all it holds blamed variables the lambda passed
    /// never used (a user's message named <c>pool</c>, which only another lambda captured).</summary>
    [Fact]
    public void ACapturingLambdaIsNamedByWhatItUsesNotByWhatItsNeighboursCapture()
    {
        var local = Random.Shared.Next();
        var counter = 0;
        var neighbour = new Func<int>(() => counter++ + local); // the same closure, with counter in it
        var error = Assert.Throws<ArgumentException>(() => FunctionReference.From(new Func<int, int>(x => x + local)));
        Assert.Equal(["local"], error.Message.Split('(', ')')[1].Split(", "));
        GC.KeepAlive(neighbour);
    }

    [Fact]
    public void AnInstanceMethodIsRefused()
    {
        var list = new List<int>();
        var error = Assert.Throws<ArgumentException>(() => FunctionReference.From(new Func<int, bool>(list.Contains)));
        Assert.Contains("instance method", error.Message);
    }

    [Fact]
    public void ANullFunctionIsRefused() =>
        Assert.Throws<ArgumentNullException>(() => FunctionReference.From(null));
}
