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
        var inMap = Assert.Throws<LedgerException>(() => _pool.Map(TestFunctions.FailOnThree, Enumerable.Range(0, 10)));
        Assert.Equal(3L, inMap.Data["clusterpool.item"]); // which item of a batch of thousands
    }

    [Fact]
    public void GettingAFailedResultAgainGivesTheSameStackTrace()
    {
        var result = _pool.ApplyAsync(TestFunctions.FailOnThree, 3);
        string? TraceOfGet() => Assert.Throws<LedgerException>(() => result.Get()).StackTrace; // one call site
        var (first, second) = (TraceOfGet(), TraceOfGet());
        Assert.Equal(first, second);
        Assert.Contains("--- End of stack trace from previous location ---", second); // the worker's frames, then ours
    }

    /// <summary>What the user threw is what the caller catches: type, message, parameter name, inner exceptions, own properties.</summary>
    [Fact]
    public void RemoteExceptionsKeepEverythingTheUserPutInThem()
    {
        var nullTicker = Assert.Throws<ArgumentNullException>(() => _pool.Apply(FailingFunctions.NullTicker, 1));
        Assert.Equal("ticker", nullTicker.ParamName);
        Assert.Equal(new ArgumentNullException("ticker").Message, nullTicker.Message);

        var range = Assert.Throws<ArgumentOutOfRangeException>(() => _pool.Apply(FailingFunctions.OutOfRange, 7));
        Assert.Equal(("x", (object?)7), (range.ParamName, range.ActualValue));
        Assert.StartsWith("x must be below 3", range.Message);

        var quote = Assert.Throws<QuoteException>(() => _pool.Map(FailingFunctions.Quote, [1, 2]));
        Assert.Equal(("AAPL quote is stale", "AAPL", 189.25m), (quote.Message, quote.Symbol, quote.Price));
        Assert.IsType<TimeoutException>(quote.InnerException);
        Assert.Equal("feed timed out", quote.InnerException!.Message);
        Assert.Contains(nameof(FailingFunctions.Quote), quote.StackTrace);
        Assert.Contains("worker pid", quote.StackTrace);

        var aggregate = Assert.Throws<AggregateException>(() => _pool.Apply(FailingFunctions.Aggregate, 1));
        Assert.Equal(["feed A", "feed B"], aggregate.InnerExceptions.Select(e => e.Message));
        Assert.Equal([typeof(IOException), typeof(FormatException)], aggregate.InnerExceptions.Select(e => e.GetType()));

        // One that cannot cross whole comes back as its type with its message (its (string) constructor takes the
        // parameter's name: the message became the name, garbled).
        var native = Assert.Throws<ArgumentOutOfRangeException>(() => _pool.Apply(FailingFunctions.OutOfRangeNative, 7));
        Assert.StartsWith("must be below 3 (Parameter 'x')", native.Message);

        var statics = Assert.Throws<TypeInitializationException>(() => _pool.Apply(FailingFunctions.StaticConstructor, 1));
        Assert.IsType<FormatException>(statics.InnerException);
        AssertNoWorkerLost();
    }

    [Fact]
    public void AnExceptionWhoseMessageThrowsReachesTheCallerAndKillsNoWorker()
    {
        var error = Assert.ThrowsAny<Exception>(() => _pool.Map(FailingFunctions.BrokenMessage, [1, 2, 3]));
        Assert.Contains(nameof(BrokenMessageException), $"{error.GetType().Name} {SafeMessage(error)}");
        Assert.Equal([1, 4, 9], _pool.Map(TestFunctions.Square, [1, 2, 3]));
        AssertNoWorkerLost();
    }

    private static string SafeMessage(Exception e)
    {
        try { return e.Message; }
        catch (InvalidOperationException) { return ""; }
    }

    [Fact]
    public void IMapYieldsTheResultsBeforeAFailedItemThenRaises()
    {
        var seen = new List<int>();
        Assert.Throws<LedgerException>(() => { foreach (var r in _pool.IMap(TestFunctions.FailOnThree, Enumerable.Range(0, 10))) seen.Add(r); });
        Assert.Equal([0, 1, 2], seen);
    }

    /// <summary>
    /// Python's imap: next() raises a failed item's exception in its place, and the next next() returns the next
    /// result. A batch over 3,000 companies must not stop at the first bad one.
    /// </summary>
    [Fact]
    public void IMapGoesOnAfterAFailedItemAsPythonsDoes()
    {
        int[] input = [0, 1, 2, 3, 4, 13, 5, 3, 6];
        using var iterator = _pool.IMap(TestFunctions.FailOnThree, input, chunksize: 2);
        var outcomes = new List<string>();
        foreach (var _ in input)
        {
            try { outcomes.Add($"{iterator.Next(Patience)}"); }
            catch (LedgerException e) { outcomes.Add(e.Message); }
        }
        Assert.Equal(["0", "1", "2", "ledger 3 does not balance", "4", "13", "5", "ledger 3 does not balance", "6"], outcomes);
        Assert.Throws<InvalidOperationException>(() => iterator.Next(Patience)); // and then it is over
    }

    [Fact]
    public async Task IMapUnorderedGoesOnAfterAFailedItemToo()
    {
        var input = Enumerable.Range(0, 40).ToList();
        using var iterator = _pool.IMapUnordered(TestFunctions.FailOnThree, input, chunksize: 3);
        var values = new List<int>();
        var failures = 0;
        for (var i = 0; i < input.Count; i++)
        {
            try { values.Add(iterator.Next(Patience)); }
            catch (LedgerException) { failures++; }
        }
        Assert.Equal(1, failures);
        Assert.Equal(input.Where(x => x != 3), values.Order());

        // await foreach leaves the loop at the failure, as foreach does; what came before it arrived.
        var seen = new List<int>();
        await Assert.ThrowsAsync<LedgerException>(async () => { await foreach (var r in _pool.IMap(TestFunctions.FailOnThree, input)) seen.Add(r); });
        Assert.Equal([0, 1, 2], seen);
        AssertNoWorkerLost();
    }

    private static IEnumerable<int> ThrowingInput(int at)
    {
        for (var i = 0; ; i++)
        {
            if (i == at) throw new FormatException($"row {i} is malformed");
            yield return i;
        }
    }

    /// <summary>An input that cannot even start: its GetEnumerator throws (a file that cannot be opened).</summary>
    private sealed class UnopenableInput : IEnumerable<int>
    {
        public IEnumerator<int> GetEnumerator() => throw new FileNotFoundException("prices.csv is missing");
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    [Fact]
    public void AnInputWhoseGetEnumeratorThrowsFailsTheCallWithItsExceptionInsteadOfHanging()
    {
        var call = Task.Run(() => Record.Exception(() => _pool.Map(TestFunctions.Square, new UnopenableInput())));
        Assert.True(call.Wait(Patience), "the call hung");
        Assert.Equal("prices.csv is missing", Assert.IsType<FileNotFoundException>(call.Result).Message);
        var stream = Task.Run(() => Record.Exception(() => _pool.IMap(TestFunctions.Square, new UnopenableInput()).ToList()));
        Assert.True(stream.Wait(Patience), "the IMap hung");
        Assert.IsType<FileNotFoundException>(stream.Result);
        AssertNoWorkerLost();
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
            // once, in a line that says what and why (it said "cannot be sent back: the results cannot be sent ...")
            Assert.StartsWith($"the result of item 0 (System.IO.MemoryStream) cannot be sent to another process: type " +
                "System.IO.MemoryStream is code or live process state", error.Message);
        }
        Assert.Equal(9, _pool.Apply(TestFunctions.Square, 3));
        AssertNoWorkerLost();
    }

    /// <summary>
    /// A result that cannot be sent, in a chunk long enough that its results so far are sent before it ends: the error
    /// was dropped with that early send, every later part refused, and the call hung.
    /// </summary>
    [Fact]
    public void AnUnserializableResultInALongChunkFailsTheCallInsteadOfHanging()
    {
        var call = _pool.MapAsync(FailingFunctions.SlowStreamAtZero, [0, 1, 2], chunksize: 3);
        var error = Assert.Throws<PayloadSerializationException>(() => call.Get(Patience));
        Assert.StartsWith("the result of item 0 (System.IO.MemoryStream) cannot be sent", error.Message);
        AssertNoWorkerLost();
    }

    /// <summary>An exception too big for one message (Akka.Remote dropped it, and the call hung) arrives as its type
    /// with its message cut.</summary>
    [Fact]
    public void AnExceptionTooBigForAMessageArrivesCut()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _pool.ApplyAsync(FailingFunctions.ThrowsLong,
            5_000_000).Get(Patience));
        Assert.StartsWith("xxxx", error.Message);
        Assert.Contains("characters more, cut to fit a message", error.Message);
        Assert.Equal(9, _pool.Apply(TestFunctions.Square, 3));
        AssertNoWorkerLost();
    }

    /// <summary>
    /// A native-sized integer (nint, nuint) is refused both ways, saying what to send instead: Hyperion writes no bytes
    /// for one, so it arrived as 0, and every argument holding one had the same checkpoint hash.
    /// </summary>
    [Fact]
    public void ANativeIntegerIsRefusedBothWaysInsteadOfArrivingAsZero()
    {
        var argument = Assert.Throws<PayloadSerializationException>(() => _pool.Apply(TestFunctions.Accepts, (object)(1, (nint)5)));
        Assert.Contains("type System.IntPtr (nint, nuint) is a native-sized integer", argument.Message);
        Assert.Contains("send a long", argument.Message);
        Assert.Throws<PayloadSerializationException>(() => _pool.Map(TestFunctions.Accepts, [(object)new nuint[] { 7 }]));
        var result = Assert.Throws<PayloadSerializationException>(() => _pool.Apply(TestFunctions.NativeInteger, 3));
        Assert.StartsWith("the result of item 0 (System.ValueTuple<System.Int32, System.IntPtr>) cannot be sent", result.Message);
        Assert.Equal(9, _pool.Apply(TestFunctions.Square, 3));
        AssertNoWorkerLost();
    }

    /// <summary>
    /// An item that cannot be sent fails in its own place and the rest run, as Python's imap raises for the one task it
    /// could not pickle: it ended the input there, so later items never ran and the iterator said the results were over.
    /// </summary>
    [Fact]
    public void AnItemThatCannotBeSentFailsAloneAndTheItemsAfterItStillRun()
    {
        object[] items = [1, 2, new MemoryStream(), 4, new byte[9_000_000], 6];
        var outcomes = new List<string>();
        var results = _pool.IMap(TestFunctions.Accepts, items);
        for (var i = 0; i < items.Length; i++)
        {
            try { outcomes.Add($"{results.Next(Patience)}"); }
            catch (Exception e) when (e is PayloadSerializationException or PayloadTooLargeException)
            {
                outcomes.Add(e.GetType().Name);
            }
        }
        Assert.Equal(["1", "2", nameof(PayloadSerializationException), "4", nameof(PayloadTooLargeException), "6"],
            outcomes);
        var map = Assert.Throws<PayloadSerializationException>(() => _pool.Map(TestFunctions.Accepts, items, chunksize: 6));
        Assert.StartsWith("the arguments of item 2 (System.IO.MemoryStream) cannot be sent", map.Message);
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
        var doneBefore = _pool.Statistics.ItemsDone;
        using (var iterator = _pool.IMap(TestFunctions.Square, Endless(), chunksize: 16))
        {
            Assert.Equal(Enumerable.Range(0, 100).Select(x => x * x), iterator.Take(100));
            // The reader stopped: it read at least the 10,000 results allowed ahead, and every item it read has its
            // result but those of a part-filled chunk (under 16), which waits for the rest. A reader that did not stop
            // at the limit would stay ahead of the workers, and this would time out.
            Wait.For(() => (Read: Volatile.Read(ref read), Done: _pool.Statistics.ItemsDone - doneBefore),
                now => now.Read >= 10_000 && now.Done > now.Read - 16, Patience,
                "the input's reader to stop 10,000 results ahead, every whole chunk it read done");
        }
        Assert.InRange(Volatile.Read(ref read), 100, 100 + 10_000 + 64 * 16 + 32);
    }
}
