using ClusterPool.Contracts.Serialization;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>What a caller sees when something goes wrong, and that the pool keeps its workers through it.</summary>
[Collection("shared pool")]
public class ErrorTests(SharedPool shared)
{
    private readonly Pool _pool = shared.Pool;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private void AssertNoWorkerLost() =>
        Assert.Equal(shared.WorkerPids.Order(), _pool.LocalWorkerProcessIds.Order());

    [Fact]
    public void AUserExceptionComesBackWithItsTypeMessageAndRemoteStackTrace()
    {
        var error = Assert.Throws<LedgerException>(() => _pool.Apply(TestFunctions.FailOnThree, 3));
        Assert.Equal("ledger 3 does not balance", error.Message);
        Assert.Contains(nameof(TestFunctions.FailOnThree), error.StackTrace);
        Assert.Contains("worker pid", error.StackTrace);
        Assert.Throws<LedgerException>(() => _pool.Map(TestFunctions.FailOnThree, Enumerable.Range(0, 10)));
    }

    [Fact]
    public void IMapYieldsTheResultsBeforeAFailedItemThenRaises()
    {
        var seen = new List<int>();
        Assert.Throws<LedgerException>(() => { foreach (var r in _pool.IMap(TestFunctions.FailOnThree, Enumerable.Range(0, 10))) seen.Add(r); });
        Assert.Equal([0, 1, 2], seen);
    }

    private static IEnumerable<int> ThrowingInput(int at)
    {
        for (var i = 0; ; i++)
        {
            if (i == at) throw new FormatException($"row {i} is malformed");
            yield return i;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void AnInputThatThrowsGivesExactlyTheResultsBeforeItThenItsOwnException(int at)
    {
        var seen = new List<int>();
        var error = Assert.Throws<FormatException>(() => { foreach (var r in _pool.IMap(TestFunctions.Square, ThrowingInput(at), 2)) seen.Add(r); });
        Assert.Equal($"row {at} is malformed", error.Message);
        Assert.Equal(Enumerable.Range(0, at).Select(x => x * x), seen);

        Assert.Throws<FormatException>(() => _pool.Map(TestFunctions.Square, ThrowingInput(at)));
        seen.Clear();
        Assert.Throws<FormatException>(() => { foreach (var r in _pool.IMapUnordered(TestFunctions.Square, ThrowingInput(at))) seen.Add(r); });
        Assert.Equal(Enumerable.Range(0, at).Select(x => x * x), seen.Order());
    }

    [Fact]
    public void AnUnserializableArgumentIsAnErrorNamingItsTypeAndNoWorkerIsLost()
    {
        for (var i = 0; i < 20; i++)
        {
            var error = Assert.Throws<PayloadSerializationException>(() => _pool.Apply(TestFunctions.Accepts, new MemoryStream()));
            Assert.Contains("System.IO.MemoryStream", error.Message);
        }
        Assert.Equal(4, _pool.Apply(TestFunctions.Square, 2));
        AssertNoWorkerLost();
    }

    [Fact]
    public void AnUnserializableResultIsAnErrorNamingItsTypeAndNoWorkerIsLost()
    {
        for (var i = 0; i < 20; i++)
        {
            var error = Assert.Throws<PayloadSerializationException>(() => _pool.Apply(TestFunctions.ReturnsStream, i));
            Assert.Contains("System.IO.MemoryStream", error.Message);
        }
        Assert.Equal(9, _pool.Apply(TestFunctions.Square, 3));
        AssertNoWorkerLost();
    }

    [Fact]
    public void AOneMegabyteArgumentAndResultCrossTheWire()
    {
        Assert.Equal(1_000_000, _pool.ApplyAsync(TestFunctions.Length, new byte[1_000_000]).Get(Patience));
        Assert.Equal(1_000_000, _pool.ApplyAsync(TestFunctions.Bytes, 1_000_000).Get(Patience).Length);
        Assert.Equal([300_000, 300_000, 300_000], _pool.MapAsync(TestFunctions.Bytes, [300_000, 300_000, 300_000], chunksize: 3)
            .Get(Patience).Select(b => b.Length));
    }

    [Fact]
    public void AnArgumentOrResultLargerThanAFrameFailsNamingBothSizesWithoutAHang()
    {
        var argument = Assert.Throws<PayloadTooLargeException>(() => _pool.ApplyAsync(TestFunctions.Length, new byte[9_000_000]).Get(Patience));
        Assert.Contains("9,000,", argument.Message);
        Assert.Contains("8,372,224", argument.Message);
        var result = Assert.Throws<PayloadTooLargeException>(() => _pool.ApplyAsync(TestFunctions.Bytes, 9_000_000).Get(Patience));
        Assert.Contains("result of item 0", result.Message);
        Assert.Contains("8,372,224", result.Message);
        AssertNoWorkerLost();
    }

    [Fact]
    public void ACapturingLambdaOrANullFunctionIsRefusedAtTheCall()
    {
        var factor = 3;
        var error = Assert.Throws<ArgumentException>(() => _pool.Map((int x) => x * factor, [1, 2]));
        Assert.Contains("pass the values as arguments", error.Message);
        Assert.Throws<ArgumentNullException>(() => _pool.Map((Func<int, int>)null!, [1]));
        Assert.Throws<ArgumentNullException>(() => _pool.Map(TestFunctions.Square, (IEnumerable<int>)null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => _pool.Map(TestFunctions.Square, [1], chunksize: 0));
    }

    [Fact]
    public void IMapReadsTheInputOnlyAsFastAsResultsAreTaken()
    {
        var read = 0;
        IEnumerable<int> Endless() { for (var i = 0; ; i++) { Interlocked.Increment(ref read); yield return i; } }
        using (var iterator = _pool.IMap(TestFunctions.Square, Endless(), chunksize: 16))
        {
            Assert.Equal(Enumerable.Range(0, 100).Select(x => x * x), iterator.Take(100));
            Thread.Sleep(500);
        }
        Assert.InRange(Volatile.Read(ref read), 100, 100 + 10_000 + 64 * 16 + 32);
    }
}
