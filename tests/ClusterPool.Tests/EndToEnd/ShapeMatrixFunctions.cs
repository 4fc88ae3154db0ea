using System.Runtime.CompilerServices;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// The functions of <see cref="ShapeMatrixTests"/>: one class per shape, each with the same functions of 0 to 4
/// arguments and with a <see cref="CancellationToken"/>. Those that give a value give the same one in every shape
/// (<c>Two(1, 2)</c> is 12, or the sequence [1, 2]); those that return nothing write their arguments after the first
/// into the file the first one names, so the test sees they ran, and finished before the call returned.
/// </summary>
public static class ShapeMatrixFunctions
{
    public const string Done = "done";

    public static class TaskOfR
    {
        public static async Task<int> Zero() => await Later(42);
        public static async Task<int> One(int x) => await Later(x * x);
        public static async Task<int> Two(int a, int b) => await Later(a * 10 + b);
        public static async Task<int> Three(int a, int b, int c) => await Later(a * 100 + b * 10 + c);
        public static async Task<int> Four(int a, int b, int c, int d) => await Later(a * 1000 + b * 100 + c * 10 + d);
        public static async Task<int> ZeroWithToken(CancellationToken ct) => await Later(42, Real(ct));
        public static async Task<int> OneWithToken(int x, CancellationToken ct) => await Later(x * x, Real(ct));
        public static async Task<int> TwoWithToken(int a, int b, CancellationToken ct) => await Later(a * 10 + b, Real(ct));
    }

    public static class ValueTaskOfR
    {
        public static async ValueTask<int> Zero() => await Later(42);
        public static async ValueTask<int> One(int x) => await Later(x * x);
        public static async ValueTask<int> Two(int a, int b) => await Later(a * 10 + b);
        public static async ValueTask<int> Three(int a, int b, int c) => await Later(a * 100 + b * 10 + c);
        public static async ValueTask<int> Four(int a, int b, int c, int d) => await Later(a * 1000 + b * 100 + c * 10 + d);
        public static async ValueTask<int> ZeroWithToken(CancellationToken ct) => await Later(42, Real(ct));
        public static async ValueTask<int> OneWithToken(int x, CancellationToken ct) => await Later(x * x, Real(ct));
        public static async ValueTask<int> TwoWithToken(int a, int b, CancellationToken ct) => await Later(a * 10 + b, Real(ct));
    }

    /// <summary>Lazy sequences: their bodies run on the worker, as the worker turns them into lists.</summary>
    public static class Sequence
    {
        public static IEnumerable<int> Zero() => Lazily(42);
        public static IEnumerable<int> One(int x) => Lazily([.. Enumerable.Range(0, x)]);
        public static IEnumerable<int> Two(int a, int b) => Lazily(a, b);
        public static IEnumerable<int> Three(int a, int b, int c) => Lazily(a, b, c);
        public static IEnumerable<int> Four(int a, int b, int c, int d) => Lazily(a, b, c, d);
        public static IEnumerable<int> ZeroWithToken(CancellationToken ct) => Lazily(Real(ct), 42);
        public static IEnumerable<int> OneWithToken(int x, CancellationToken ct) => Lazily(Real(ct), [.. Enumerable.Range(0, x)]);
        public static IEnumerable<int> TwoWithToken(int a, int b, CancellationToken ct) => Lazily(Real(ct), a, b);

        private static IEnumerable<int> Lazily(params int[] values)
        {
            foreach (var value in values) yield return value;
        }

        private static IEnumerable<int> Lazily(CancellationToken ct, params int[] values)
        {
            foreach (var value in values)
            {
                ct.ThrowIfCancellationRequested();
                yield return value;
            }
        }
    }

    public static class AsyncSequence
    {
        public static IAsyncEnumerable<int> Zero() => OneByOne(default, 42);
        public static IAsyncEnumerable<int> One(int x) => OneByOne(default, [.. Enumerable.Range(0, x)]);
        public static IAsyncEnumerable<int> Two(int a, int b) => OneByOne(default, a, b);
        public static IAsyncEnumerable<int> Three(int a, int b, int c) => OneByOne(default, a, b, c);
        public static IAsyncEnumerable<int> Four(int a, int b, int c, int d) => OneByOne(default, a, b, c, d);
        public static IAsyncEnumerable<int> ZeroWithToken(CancellationToken ct) => OneByOne(Real(ct), 42);
        public static IAsyncEnumerable<int> OneWithToken(int x, CancellationToken ct) => OneByOne(Real(ct), [.. Enumerable.Range(0, x)]);
        public static IAsyncEnumerable<int> TwoWithToken(int a, int b, CancellationToken ct) => OneByOne(Real(ct), a, b);

        private static async IAsyncEnumerable<int> OneByOne([EnumeratorCancellation] CancellationToken ct, params int[] values)
        {
            foreach (var value in values)
            {
                await Task.Yield();
                ct.ThrowIfCancellationRequested();
                yield return value;
            }
        }
    }

    public static class BareTask
    {
        public static async Task Zero() => await Task.Yield();
        public static async Task One(string path) => await WriteLater(path, Done);
        public static async Task Two(string path, string a) => await WriteLater(path, a);
        public static async Task Three(string path, string a, string b) => await WriteLater(path, $"{a} {b}");
        public static async Task Four(string path, string a, string b, string c) => await WriteLater(path, $"{a} {b} {c}");
        public static async Task ZeroWithToken(CancellationToken ct) => await Task.Delay(1, Real(ct));
        public static async Task OneWithToken(string path, CancellationToken ct) => await WriteLater(path, Done, Real(ct));
        public static async Task TwoWithToken(string path, string a, CancellationToken ct) => await WriteLater(path, a, Real(ct));
    }

    public static class BareValueTask
    {
        public static async ValueTask Zero() => await Task.Yield();
        public static async ValueTask One(string path) => await WriteLater(path, Done);
        public static async ValueTask Two(string path, string a) => await WriteLater(path, a);
        public static async ValueTask Three(string path, string a, string b) => await WriteLater(path, $"{a} {b}");
        public static async ValueTask Four(string path, string a, string b, string c) => await WriteLater(path, $"{a} {b} {c}");
        public static async ValueTask ZeroWithToken(CancellationToken ct) => await Task.Delay(1, Real(ct));
        public static async ValueTask OneWithToken(string path, CancellationToken ct) => await WriteLater(path, Done, Real(ct));
        public static async ValueTask TwoWithToken(string path, string a, CancellationToken ct) => await WriteLater(path, a, Real(ct));
    }

    public static class Nothing
    {
        public static void Zero() { }
        public static void One(string path) => File.WriteAllText(path, Done);
        public static void Two(string path, string a) => File.WriteAllText(path, a);
        public static void Three(string path, string a, string b) => File.WriteAllText(path, $"{a} {b}");
        public static void Four(string path, string a, string b, string c) => File.WriteAllText(path, $"{a} {b} {c}");
        public static void ZeroWithToken(CancellationToken ct) => Real(ct).ThrowIfCancellationRequested();
        public static void OneWithToken(string path, CancellationToken ct) => File.WriteAllText(path, Real(ct).IsCancellationRequested ? "cancelled" : Done);
        public static void TwoWithToken(string path, string a, CancellationToken ct) => File.WriteAllText(path, Real(ct).IsCancellationRequested ? "cancelled" : a);
    }

    /// <summary>What no shape can be: the worker could neither wait for it nor see its exception.</summary>
    public static async void FireAndForget(string path)
    {
        await Task.Delay(10);
        File.WriteAllText(path, Done);
    }

    /// <summary>A task of a task: the worker awaits both, so the call cannot hold a task.</summary>
    public static async Task<Task<int>> TaskOfTask(int x)
    {
        await Task.Yield();
        return Task.FromResult(x);
    }

    /// <summary>A lazy sequence of a type a list is not: the worker's list of its items cannot be one.</summary>
    public static IOrderedEnumerable<int> Sorted(int x) => Enumerable.Range(0, x).OrderByDescending(i => i);

    /// <summary>A result a call may take as a wider type: <c>pool.Map&lt;int, object&gt;(Text, ...)</c>.</summary>
    public static string Text(int x) => $"#{x}";

    private static async Task<int> Later(int value, CancellationToken ct = default)
    {
        await Task.Delay(1, ct);
        return value;
    }

    // Awaited by the worker or not at all: a call that returned before the task ended would find no file.
    private static async Task WriteLater(string path, string text, CancellationToken ct = default)
    {
        await Task.Delay(10, ct);
        await File.WriteAllTextAsync(path, text, ct);
    }

    /// <summary>The token the worker passes can be cancelled; a default one (the function called without it) cannot.</summary>
    private static CancellationToken Real(CancellationToken ct) =>
        ct.CanBeCanceled ? ct : throw new InvalidOperationException("the worker passed no cancellation token");
}
