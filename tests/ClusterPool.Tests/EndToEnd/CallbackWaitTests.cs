using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A wait inside a callback that only the callback's own thread could end (Join, the call's own result, a call whose
/// callback comes after this one) throws instead of hanging for ever; a wait that can end still returns.
/// </summary>
[Collection("shared pool")]
public class CallbackWaitTests(SharedPool shared)
{
    private readonly Pool _pool = shared.Pool;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public void JoinInsideACallbackThrowsAndJoinFromTheMainThreadStillWorks()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 1 });
        Exception? thrown = null;
        using var done = new ManualResetEventSlim();
        var result = pool.ApplyAsync(TestFunctions.Square, 2, callback: _ =>
        {
            try
            {
                pool.Close();
                pool.Join();
            }
            catch (Exception e) { thrown = e; }
            finally { done.Set(); }
        });
        Assert.True(done.Wait(Patience), "Join() in the callback hung");
        var error = Assert.IsType<InvalidOperationException>(thrown);
        Assert.Contains("Join() inside a callback", error.Message);
        Assert.Contains("from the main thread", error.Message);
        Assert.Equal(4, result.Get(Patience));
        pool.Join();
    }

    [Fact]
    public void GetOnItsOwnResultInsideItsCallbackThrows()
    {
        AsyncResult<(double Seconds, int Pid)>? result = null;
        Exception? thrown = null;
        using var done = new ManualResetEventSlim();
        result = _pool.ApplyAsync(TestFunctions.Sleep, 0.5, callback: _ =>
        {
            try { result!.Get(); }
            catch (Exception e) { thrown = e; }
            finally { done.Set(); }
        });
        Assert.True(done.Wait(Patience), "Get() on its own result in the callback hung");
        var error = Assert.IsType<InvalidOperationException>(thrown);
        Assert.Contains("own result inside its callback", error.Message);
        Assert.Equal(0.5, result.Get(Patience).Seconds);
    }

    [Fact]
    public void InsideACallbackAWaitForACallWhoseCallbackComesLaterThrowsAndOthersReturn()
    {
        var ready = _pool.ApplyAsync(TestFunctions.Square, 3, callback: _ => { });
        Assert.Equal(9, ready.Get(Patience));
        AsyncResult<IReadOnlyList<int>>? later = null;
        var seen = new List<object>();
        Exception? thrown = null;
        using var done = new ManualResetEventSlim();
        var first = _pool.ApplyAsync(TestFunctions.Square, 2, callback: _ =>
        {
            try
            {
                seen.Add(ready.Get());                                       // ready: its value at once
                seen.Add(_pool.ApplyAsync(TestFunctions.Square, 4).Get());    // no callback: nothing waits for this one
                seen.Add(_pool.Map(TestFunctions.Square, [5, 6]).Sum());
                later = _pool.MapAsync(TestFunctions.Square, [7], callback: _ => { });
                seen.Add(later.Wait(TimeSpan.Zero));                         // a look, not a wait
                later.Get();                                                 // its callback comes after this one
            }
            catch (Exception e) { thrown = e; }
            finally { done.Set(); }
        });
        Assert.True(done.Wait(Patience), "a wait in the callback hung");
        var error = Assert.IsType<InvalidOperationException>(thrown);
        Assert.Contains("has a callback of its own", error.Message);
        Assert.Equal(new object[] { 9, 16, 61, false }, seen);
        Assert.Equal(4, first.Get(Patience));
        Assert.Equal(new[] { 49 }, later!.Get(Patience));
    }
}
