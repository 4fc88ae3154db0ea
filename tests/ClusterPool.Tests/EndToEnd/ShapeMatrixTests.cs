using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>What a function returns (the shapes Python's pool has no word for, and <c>None</c>).</summary>
public enum Shape { TaskOfR, ValueTaskOfR, Task, ValueTask, Void, Sequence, AsyncSequence }

/// <summary>The eight methods of Python's pool.</summary>
public enum Method { Apply, ApplyAsync, Map, MapAsync, IMap, IMapUnordered, StarMap, StarMapAsync }

/// <summary>How the function is written at the call.</summary>
public enum Form { MethodGroup, Lambda, MethodGroupTakingToken }

/// <summary>
/// Every function shape with every method, by method group, by lambda and by a method group taking a
/// <see cref="CancellationToken"/> (<see cref="ShapeMatrix"/>), and with every number of arguments
/// (<see cref="ShapeArities"/>): the call compiles to the overload of that shape, and gives the function's own results
/// (values, in input order where the method keeps it), typed as the function's result, not as its task.
/// </summary>
[Collection("shared pool")]
public class ShapeMatrixTests(SharedPool shared)
{
    private readonly Pool _pool = shared.Pool;

    public static TheoryData<Shape, Method, Form> Cells()
    {
        var cells = new TheoryData<Shape, Method, Form>();
        foreach (var shape in Enum.GetValues<Shape>())
            foreach (var method in Enum.GetValues<Method>())
                foreach (var form in Enum.GetValues<Form>())
                    cells.Add(shape, method, form);
        return cells;
    }

    public static TheoryData<Shape, Arity> ArityCells()
    {
        var cells = new TheoryData<Shape, Arity>();
        foreach (var shape in Enum.GetValues<Shape>())
            foreach (var arity in Enum.GetValues<Arity>())
                cells.Add(shape, arity);
        return cells;
    }

    [Theory, MemberData(nameof(Cells))]
    public void EveryMethodTakesEveryShapeByMethodGroupAndByLambda(Shape shape, Method method, Form form)
    {
        using var input = new ShapeInput();
        var outcome = ShapeMatrix.Call(shape, method, form)(_pool, input);

        // Apply's function gets 4, Map's [1, 2, 3] and StarMap's [(1, 2), (3, 4), (5, 6)].
        int[][] rows = method switch
        {
            Method.Apply or Method.ApplyAsync => [[4]],
            Method.StarMap or Method.StarMapAsync => [[1, 2], [3, 4], [5, 6]],
            _ => [[1], [2], [3]],
        };
        string[] expected = [.. rows.Select(row => row.Length == 1 ? OfOne(shape, row[0]) : Value(shape, row))];
        Assert.Equal(ResultType(shape, method), outcome.ResultType);
        if (method == Method.IMapUnordered) Assert.Equal(expected.Order(), outcome.Values.Order());
        else Assert.Equal(expected, outcome.Values);
        if (IsVoid(shape))
        {
            // Map's and Apply's functions write "done" into the file they get, StarMap's the text they get.
            var paths = input.Paths[..rows.Length];
            var texts = method is Method.StarMap or Method.StarMapAsync ? input.Texts : [.. paths.Select(_ => ShapeMatrixFunctions.Done)];
            Assert.Equal(texts, paths.Select(File.ReadAllText));
        }
    }

    [Theory, MemberData(nameof(ArityCells))]
    public void ApplyAndStarMapTakeEveryShapeWithEveryNumberOfArguments(Shape shape, Arity arity)
    {
        using var input = new ShapeInput();
        var outcome = ShapeArities.Call(shape, arity)(_pool, input);

        // A function of n numbers gets 1 .. n (StarMap's second call n + 1 .. 2n); one that returns nothing gets a file
        // and n - 1 letters, a, b, ... in turn, and writes the letters into the file.
        var (method, arguments) = ShapeArities.Of(arity);
        var calls = method is Method.StarMap or Method.StarMapAsync ? 2 : 1;
        Assert.Equal(ResultType(shape, method), outcome.ResultType);
        Assert.Equal(Enumerable.Range(0, calls).Select(k => Value(shape, [.. Enumerable.Range(k * arguments + 1, arguments)])), outcome.Values);
        if (IsVoid(shape) && arguments > 0)
        {
            var letters = arguments - 1;
            var texts = Enumerable.Range(0, calls).Select(k => string.Join(' ', Enumerable.Range(k * letters, letters).Select(i => (char)('a' + i))));
            Assert.Equal(texts, input.Paths[..calls].Select(File.ReadAllText));
        }
    }

    [Fact]
    public void AShapeNoCallCanGiveIsRefusedAtTheCallSayingWhy()
    {
        using var input = new ShapeInput();
        var forgotten = Assert.Throws<ArgumentException>(() => _pool.Map(ShapeMatrixFunctions.FireAndForget, input.Paths));
        Assert.Contains("async void", forgotten.Message);
        Assert.Contains("FireAndForget", forgotten.Message);
        Assert.Throws<ArgumentException>(() => _pool.Apply(ShapeMatrixFunctions.FireAndForget, input.Paths[0]));

        var nested = Assert.Throws<ArgumentException>(() => _pool.Map(ShapeMatrixFunctions.TaskOfTask, [1, 2]));
        Assert.Contains("TaskOfTask returns Task<Task<Int32>>: the worker awaits it and sends back Int32", nested.Message);

        var sorted = Assert.Throws<ArgumentException>(() => _pool.Apply(ShapeMatrixFunctions.Sorted, 3));
        Assert.Contains("IOrderedEnumerable<Int32>", sorted.Message);
        Assert.Contains("List<Int32>", sorted.Message);

        // Told to give tasks: the worker awaits them, so the call says so rather than failing every item.
        var told = Assert.Throws<ArgumentException>(() => _pool.Map<int, Task<int>>(ShapeMatrixFunctions.TaskOfR.One, [1, 2]));
        Assert.Contains("Task<Int32>", told.Message);
        Assert.Equal([1, 4], _pool.Map(ShapeMatrixFunctions.TaskOfR.One, [1, 2])); // and the pool goes on
    }

    [Fact]
    public void AMethodGroupWhoseResultIsNarrowerThanTheCallsGivesItsResults()
    {
        // The worker sends a string[] for a call of objects: its values are copied one by one (a span of objects over it
        // threw in the coordinator, and the pool stopped).
        Assert.Equal(["#1", "#2", "#3"], _pool.Map<int, object>(ShapeMatrixFunctions.Text, [1, 2, 3], chunksize: 3));
        Assert.Equal(["#1", "#2"], _pool.IMap<int, object>(ShapeMatrixFunctions.Text, [1, 2], chunksize: 2).ToList());
    }

    private static bool IsVoid(Shape shape) => shape is Shape.Task or Shape.ValueTask or Shape.Void;

    /// <summary>What the call's results are typed as: the function's result after the worker awaits or lists it.</summary>
    private static Type ResultType(Shape shape, Method method) => shape switch
    {
        Shape.TaskOfR or Shape.ValueTaskOfR => typeof(int),
        Shape.Sequence => typeof(IEnumerable<int>),
        Shape.AsyncSequence => typeof(IReadOnlyList<int>),
        _ => method == Method.Apply ? typeof(void) : typeof(object),
    };

    /// <summary>One-argument functions: x * x, or the sequence 0 .. x - 1.</summary>
    private static string OfOne(Shape shape, int x) => shape switch
    {
        _ when IsVoid(shape) => "null",
        Shape.Sequence or Shape.AsyncSequence => Outcome.Text(Enumerable.Range(0, x)),
        _ => (x * x).ToString(),
    };

    /// <summary>Functions of other arities give their arguments' digits as a number (none: 42), or as a sequence.</summary>
    private static string Value(Shape shape, int[] row) => shape switch
    {
        _ when IsVoid(shape) => "null",
        Shape.Sequence or Shape.AsyncSequence => Outcome.Text(row.Length == 0 ? [42] : row),
        _ => row.Length == 0 ? "42" : string.Concat(row),
    };
}

/// <summary>A call's results, as text, and the type the call gave them as (void for an Apply that returns nothing).</summary>
public sealed record Outcome(Type ResultType, string[] Values)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static Outcome List<R>(IReadOnlyList<R> results) => new(typeof(R), [.. results.Select(r => Text(r))]);

    public static Outcome List<R>(AsyncResult<IReadOnlyList<R>> results) => List(results.Get(Patience));

    public static Outcome List<R>(IMapIterator<R> results)
    {
        using (results) return List<R>([.. results]);
    }

    public static Outcome One<R>(R result) => new(typeof(R), [Text(result)]);

    public static Outcome One<R>(AsyncResult<R> result) => One(result.Get(Patience));

    /// <summary>An Apply: void when the function returns nothing; the value's type otherwise (a Task, before the overloads of that shape).</summary>
    public static Outcome Run(Action apply)
    {
        apply();
        return new(typeof(void), ["null"]);
    }

    public static Outcome Run<R>(Func<R> apply) => One(apply());

    public static string Text(object? value) => value switch
    {
        null => "null",
        string s => s,
        System.Collections.IEnumerable sequence => $"[{string.Join(", ", sequence.Cast<object?>().Select(Text))}]",
        _ => value.ToString() ?? "",
    };
}

/// <summary>Three files to write in a folder of their own, and the texts StarMap's functions write.</summary>
public sealed class ShapeInput : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("clusterpool-shapes-").FullName;

    public ShapeInput() => Paths = [.. Enumerable.Range(0, 3).Select(i => Path.Combine(_folder, $"item{i}"))];

    public string[] Paths { get; }

    public string[] Texts => ["text 0", "text 1", "text 2"];

    public (string, string)[] PathsAndTexts => [.. Paths.Zip(Texts)];

    public int[] Numbers => [1, 2, 3];

    public (int, int)[] Pairs => [(1, 2), (3, 4), (5, 6)];

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
