using ClusterPool.Contracts.Serialization;
using ClusterPool.Contracts.Sharing;
using ClusterPool.Sharing;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>The pool's store of shared values and the handles' wire form, without an actor system.</summary>
public class SharedStoreTests
{
    private readonly List<string> _forgotten = [];

    private SharedStore NewStore() => new(hash => { lock (_forgotten) _forgotten.Add(hash); });

    [Fact]
    public void AHandleCrossesAsItsKeyAloneAndArrivesAsAHandleToTheSameValue()
    {
        var store = NewStore();
        var prices = Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray();
        var shared = store.Add(prices);

        var bytes = PayloadSerializer.Serialize(new object[] { shared, 7 }, "the arguments");
        Assert.True(bytes.Length < 400, $"the arguments took {bytes.Length} bytes"); // 800 KB of prices did not go
        var arrived = (SharedArray<double>)PayloadSerializer.Deserialize<object[]>(bytes, "the arguments")[0];
        Assert.Equal(shared.Key, arrived.Key);
        Assert.Null(arrived.Owner);
        Assert.Equal(prices.Length, arrived.Length);
        store.Clear(null);
    }

    [Fact]
    public void TheSameValueSharedTwiceIsStoredOnceAndFreedWithItsLastHandle()
    {
        var store = NewStore();
        var first = store.Add(new Dictionary<string, int> { ["a"] = 1 });
        var second = store.Add(new Dictionary<string, int> { ["a"] = 1 });
        Assert.Equal(first.Key, second.Key); // the key is the content's hash: checkpoints see the same in every run

        first.Dispose();
        first.Dispose(); // twice is once
        Assert.Empty(_forgotten);
        Assert.NotNull(store.Piece(first.Key.Hash, 0, 10));
        second.Dispose();
        Assert.Equal([first.Key.Hash], _forgotten);
        Assert.Null(store.Piece(first.Key.Hash, 0, 10));
    }

    [Fact]
    public void PiecesAreCutAtTheEndAndAnUnknownHashHasNone()
    {
        var store = NewStore();
        var bytes = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        var shared = store.Add(bytes);
        Assert.Equal(bytes[990..], store.Piece(shared.Key.Hash, 990, 4096));
        Assert.Equal(bytes[..10], store.Piece(shared.Key.Hash, 0, 10));
        Assert.Null(store.Piece(new string('0', 64), 0, 10));
        Assert.Null(store.Piece(shared.Key.Hash, 2000, 10));
        store.Clear(null);
        Assert.True(shared.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => shared.Span.Length);
        Assert.Throws<InvalidOperationException>(() => store.Add(bytes));
    }

    [Fact]
    public void ADisposedHandleIsRefusedWhereItWouldBeSentNamingTheValue()
    {
        var store = NewStore();
        var shared = store.Add("a curve set");
        shared.Dispose();
        var error = Assert.Throws<PayloadSerializationException>(
            () => PayloadSerializer.Serialize(new object[] { shared }, "item 3's arguments"));
        Assert.Contains("item 3's arguments", error.Message);
        Assert.Contains("disposed", error.Message);
        Assert.Contains(shared.Key.Hash[..12], error.Message);
    }
}
