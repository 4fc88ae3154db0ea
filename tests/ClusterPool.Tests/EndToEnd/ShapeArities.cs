using static ClusterPool.Tests.EndToEnd.ShapeMatrixFunctions;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>The overloads <see cref="ShapeMatrix"/> does not call: Apply's of 0, 2, 3 and 4 arguments, StarMap's of 3 and 4.</summary>
public enum Arity
{
    Apply0, Apply2, Apply3, Apply4, ApplyAsync0, ApplyAsync2, ApplyAsync3, ApplyAsync4,
    StarMap3, StarMap4, StarMapAsync3, StarMapAsync4,
    Apply0WithToken, Apply2WithToken, ApplyAsync0WithToken, ApplyAsync2WithToken,
}

/// <summary>
/// The cells of <see cref="ShapeMatrixTests.ApplyAndStarMapTakeEveryShapeWithEveryNumberOfArguments"/>, by method
/// group. A function of numbers gets 1 .. n (StarMap's second item n + 1 .. 2n); one that returns nothing gets a file
/// and letters.
/// </summary>
internal static class ShapeArities
{
    /// <summary>The method an arity calls and how many arguments its function takes, besides a token.</summary>
    public static (Method Method, int Arguments) Of(Arity arity)
    {
        var name = arity.ToString().Replace("WithToken", "");
        var method = Enum.GetValues<Method>().Where(m => name.StartsWith(m.ToString(), StringComparison.Ordinal)).MaxBy(m => m.ToString().Length);
        return (method, name[^1] - '0');
    }

    public static Func<Pool, ShapeInput, Outcome> Call(Shape shape, Arity arity) => Cells[(shape, arity)];

    private static readonly Dictionary<(Shape, Arity), Func<Pool, ShapeInput, Outcome>> Cells = new()
    {
        // TaskOfR
        [(Shape.TaskOfR, Arity.Apply0)] = (p, i) => Outcome.Run(() => p.Apply(TaskOfR.Zero)),
        [(Shape.TaskOfR, Arity.Apply2)] = (p, i) => Outcome.Run(() => p.Apply(TaskOfR.Two, 1, 2)),
        [(Shape.TaskOfR, Arity.Apply3)] = (p, i) => Outcome.Run(() => p.Apply(TaskOfR.Three, 1, 2, 3)),
        [(Shape.TaskOfR, Arity.Apply4)] = (p, i) => Outcome.Run(() => p.Apply(TaskOfR.Four, 1, 2, 3, 4)),
        [(Shape.TaskOfR, Arity.ApplyAsync0)] = (p, i) => Outcome.One(p.ApplyAsync(TaskOfR.Zero)),
        [(Shape.TaskOfR, Arity.ApplyAsync2)] = (p, i) => Outcome.One(p.ApplyAsync(TaskOfR.Two, 1, 2)),
        [(Shape.TaskOfR, Arity.ApplyAsync3)] = (p, i) => Outcome.One(p.ApplyAsync(TaskOfR.Three, 1, 2, 3)),
        [(Shape.TaskOfR, Arity.ApplyAsync4)] = (p, i) => Outcome.One(p.ApplyAsync(TaskOfR.Four, 1, 2, 3, 4)),
        [(Shape.TaskOfR, Arity.StarMap3)] = (p, i) => Outcome.List(p.StarMap(TaskOfR.Three, [(1, 2, 3), (4, 5, 6)])),
        [(Shape.TaskOfR, Arity.StarMap4)] = (p, i) => Outcome.List(p.StarMap(TaskOfR.Four, [(1, 2, 3, 4), (5, 6, 7, 8)])),
        [(Shape.TaskOfR, Arity.StarMapAsync3)] = (p, i) => Outcome.List(p.StarMapAsync(TaskOfR.Three, [(1, 2, 3), (4, 5, 6)])),
        [(Shape.TaskOfR, Arity.StarMapAsync4)] = (p, i) => Outcome.List(p.StarMapAsync(TaskOfR.Four, [(1, 2, 3, 4), (5, 6, 7, 8)])),
        [(Shape.TaskOfR, Arity.Apply0WithToken)] = (p, i) => Outcome.Run(() => p.Apply(TaskOfR.ZeroWithToken)),
        [(Shape.TaskOfR, Arity.Apply2WithToken)] = (p, i) => Outcome.Run(() => p.Apply(TaskOfR.TwoWithToken, 1, 2)),
        [(Shape.TaskOfR, Arity.ApplyAsync0WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(TaskOfR.ZeroWithToken)),
        [(Shape.TaskOfR, Arity.ApplyAsync2WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(TaskOfR.TwoWithToken, 1, 2)),

        // ValueTaskOfR
        [(Shape.ValueTaskOfR, Arity.Apply0)] = (p, i) => Outcome.Run(() => p.Apply(ValueTaskOfR.Zero)),
        [(Shape.ValueTaskOfR, Arity.Apply2)] = (p, i) => Outcome.Run(() => p.Apply(ValueTaskOfR.Two, 1, 2)),
        [(Shape.ValueTaskOfR, Arity.Apply3)] = (p, i) => Outcome.Run(() => p.Apply(ValueTaskOfR.Three, 1, 2, 3)),
        [(Shape.ValueTaskOfR, Arity.Apply4)] = (p, i) => Outcome.Run(() => p.Apply(ValueTaskOfR.Four, 1, 2, 3, 4)),
        [(Shape.ValueTaskOfR, Arity.ApplyAsync0)] = (p, i) => Outcome.One(p.ApplyAsync(ValueTaskOfR.Zero)),
        [(Shape.ValueTaskOfR, Arity.ApplyAsync2)] = (p, i) => Outcome.One(p.ApplyAsync(ValueTaskOfR.Two, 1, 2)),
        [(Shape.ValueTaskOfR, Arity.ApplyAsync3)] = (p, i) => Outcome.One(p.ApplyAsync(ValueTaskOfR.Three, 1, 2, 3)),
        [(Shape.ValueTaskOfR, Arity.ApplyAsync4)] = (p, i) => Outcome.One(p.ApplyAsync(ValueTaskOfR.Four, 1, 2, 3, 4)),
        [(Shape.ValueTaskOfR, Arity.StarMap3)] = (p, i) => Outcome.List(p.StarMap(ValueTaskOfR.Three, [(1, 2, 3), (4, 5, 6)])),
        [(Shape.ValueTaskOfR, Arity.StarMap4)] = (p, i) => Outcome.List(p.StarMap(ValueTaskOfR.Four, [(1, 2, 3, 4), (5, 6, 7, 8)])),
        [(Shape.ValueTaskOfR, Arity.StarMapAsync3)] = (p, i) => Outcome.List(p.StarMapAsync(ValueTaskOfR.Three, [(1, 2, 3), (4, 5, 6)])),
        [(Shape.ValueTaskOfR, Arity.StarMapAsync4)] = (p, i) => Outcome.List(p.StarMapAsync(ValueTaskOfR.Four, [(1, 2, 3, 4), (5, 6, 7, 8)])),
        [(Shape.ValueTaskOfR, Arity.Apply0WithToken)] = (p, i) => Outcome.Run(() => p.Apply(ValueTaskOfR.ZeroWithToken)),
        [(Shape.ValueTaskOfR, Arity.Apply2WithToken)] = (p, i) => Outcome.Run(() => p.Apply(ValueTaskOfR.TwoWithToken, 1, 2)),
        [(Shape.ValueTaskOfR, Arity.ApplyAsync0WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(ValueTaskOfR.ZeroWithToken)),
        [(Shape.ValueTaskOfR, Arity.ApplyAsync2WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(ValueTaskOfR.TwoWithToken, 1, 2)),

        // Task
        [(Shape.Task, Arity.Apply0)] = (p, i) => Outcome.Run(() => p.Apply(BareTask.Zero)),
        [(Shape.Task, Arity.Apply2)] = (p, i) => Outcome.Run(() => p.Apply(BareTask.Two, i.Paths[0], "a")),
        [(Shape.Task, Arity.Apply3)] = (p, i) => Outcome.Run(() => p.Apply(BareTask.Three, i.Paths[0], "a", "b")),
        [(Shape.Task, Arity.Apply4)] = (p, i) => Outcome.Run(() => p.Apply(BareTask.Four, i.Paths[0], "a", "b", "c")),
        [(Shape.Task, Arity.ApplyAsync0)] = (p, i) => Outcome.One(p.ApplyAsync(BareTask.Zero)),
        [(Shape.Task, Arity.ApplyAsync2)] = (p, i) => Outcome.One(p.ApplyAsync(BareTask.Two, i.Paths[0], "a")),
        [(Shape.Task, Arity.ApplyAsync3)] = (p, i) => Outcome.One(p.ApplyAsync(BareTask.Three, i.Paths[0], "a", "b")),
        [(Shape.Task, Arity.ApplyAsync4)] = (p, i) => Outcome.One(p.ApplyAsync(BareTask.Four, i.Paths[0], "a", "b", "c")),
        [(Shape.Task, Arity.StarMap3)] = (p, i) => Outcome.List(p.StarMap(BareTask.Three, [(i.Paths[0], "a", "b"), (i.Paths[1], "c", "d")])),
        [(Shape.Task, Arity.StarMap4)] = (p, i) => Outcome.List(p.StarMap(BareTask.Four, [(i.Paths[0], "a", "b", "c"), (i.Paths[1], "d", "e", "f")])),
        [(Shape.Task, Arity.StarMapAsync3)] = (p, i) => Outcome.List(p.StarMapAsync(BareTask.Three, [(i.Paths[0], "a", "b"), (i.Paths[1], "c", "d")])),
        [(Shape.Task, Arity.StarMapAsync4)] = (p, i) => Outcome.List(p.StarMapAsync(BareTask.Four, [(i.Paths[0], "a", "b", "c"), (i.Paths[1], "d", "e", "f")])),
        [(Shape.Task, Arity.Apply0WithToken)] = (p, i) => Outcome.Run(() => p.Apply(BareTask.ZeroWithToken)),
        [(Shape.Task, Arity.Apply2WithToken)] = (p, i) => Outcome.Run(() => p.Apply(BareTask.TwoWithToken, i.Paths[0], "a")),
        [(Shape.Task, Arity.ApplyAsync0WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(BareTask.ZeroWithToken)),
        [(Shape.Task, Arity.ApplyAsync2WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(BareTask.TwoWithToken, i.Paths[0], "a")),

        // ValueTask
        [(Shape.ValueTask, Arity.Apply0)] = (p, i) => Outcome.Run(() => p.Apply(BareValueTask.Zero)),
        [(Shape.ValueTask, Arity.Apply2)] = (p, i) => Outcome.Run(() => p.Apply(BareValueTask.Two, i.Paths[0], "a")),
        [(Shape.ValueTask, Arity.Apply3)] = (p, i) => Outcome.Run(() => p.Apply(BareValueTask.Three, i.Paths[0], "a", "b")),
        [(Shape.ValueTask, Arity.Apply4)] = (p, i) => Outcome.Run(() => p.Apply(BareValueTask.Four, i.Paths[0], "a", "b", "c")),
        [(Shape.ValueTask, Arity.ApplyAsync0)] = (p, i) => Outcome.One(p.ApplyAsync(BareValueTask.Zero)),
        [(Shape.ValueTask, Arity.ApplyAsync2)] = (p, i) => Outcome.One(p.ApplyAsync(BareValueTask.Two, i.Paths[0], "a")),
        [(Shape.ValueTask, Arity.ApplyAsync3)] = (p, i) => Outcome.One(p.ApplyAsync(BareValueTask.Three, i.Paths[0], "a", "b")),
        [(Shape.ValueTask, Arity.ApplyAsync4)] = (p, i) => Outcome.One(p.ApplyAsync(BareValueTask.Four, i.Paths[0], "a", "b", "c")),
        [(Shape.ValueTask, Arity.StarMap3)] = (p, i) => Outcome.List(p.StarMap(BareValueTask.Three, [(i.Paths[0], "a", "b"), (i.Paths[1], "c", "d")])),
        [(Shape.ValueTask, Arity.StarMap4)] = (p, i) => Outcome.List(p.StarMap(BareValueTask.Four, [(i.Paths[0], "a", "b", "c"), (i.Paths[1], "d", "e", "f")])),
        [(Shape.ValueTask, Arity.StarMapAsync3)] = (p, i) => Outcome.List(p.StarMapAsync(BareValueTask.Three, [(i.Paths[0], "a", "b"), (i.Paths[1], "c", "d")])),
        [(Shape.ValueTask, Arity.StarMapAsync4)] = (p, i) => Outcome.List(p.StarMapAsync(BareValueTask.Four, [(i.Paths[0], "a", "b", "c"), (i.Paths[1], "d", "e", "f")])),
        [(Shape.ValueTask, Arity.Apply0WithToken)] = (p, i) => Outcome.Run(() => p.Apply(BareValueTask.ZeroWithToken)),
        [(Shape.ValueTask, Arity.Apply2WithToken)] = (p, i) => Outcome.Run(() => p.Apply(BareValueTask.TwoWithToken, i.Paths[0], "a")),
        [(Shape.ValueTask, Arity.ApplyAsync0WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(BareValueTask.ZeroWithToken)),
        [(Shape.ValueTask, Arity.ApplyAsync2WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(BareValueTask.TwoWithToken, i.Paths[0], "a")),

        // Void
        [(Shape.Void, Arity.Apply0)] = (p, i) => Outcome.Run(() => p.Apply(Nothing.Zero)),
        [(Shape.Void, Arity.Apply2)] = (p, i) => Outcome.Run(() => p.Apply(Nothing.Two, i.Paths[0], "a")),
        [(Shape.Void, Arity.Apply3)] = (p, i) => Outcome.Run(() => p.Apply(Nothing.Three, i.Paths[0], "a", "b")),
        [(Shape.Void, Arity.Apply4)] = (p, i) => Outcome.Run(() => p.Apply(Nothing.Four, i.Paths[0], "a", "b", "c")),
        [(Shape.Void, Arity.ApplyAsync0)] = (p, i) => Outcome.One(p.ApplyAsync(Nothing.Zero)),
        [(Shape.Void, Arity.ApplyAsync2)] = (p, i) => Outcome.One(p.ApplyAsync(Nothing.Two, i.Paths[0], "a")),
        [(Shape.Void, Arity.ApplyAsync3)] = (p, i) => Outcome.One(p.ApplyAsync(Nothing.Three, i.Paths[0], "a", "b")),
        [(Shape.Void, Arity.ApplyAsync4)] = (p, i) => Outcome.One(p.ApplyAsync(Nothing.Four, i.Paths[0], "a", "b", "c")),
        [(Shape.Void, Arity.StarMap3)] = (p, i) => Outcome.List(p.StarMap(Nothing.Three, [(i.Paths[0], "a", "b"), (i.Paths[1], "c", "d")])),
        [(Shape.Void, Arity.StarMap4)] = (p, i) => Outcome.List(p.StarMap(Nothing.Four, [(i.Paths[0], "a", "b", "c"), (i.Paths[1], "d", "e", "f")])),
        [(Shape.Void, Arity.StarMapAsync3)] = (p, i) => Outcome.List(p.StarMapAsync(Nothing.Three, [(i.Paths[0], "a", "b"), (i.Paths[1], "c", "d")])),
        [(Shape.Void, Arity.StarMapAsync4)] = (p, i) => Outcome.List(p.StarMapAsync(Nothing.Four, [(i.Paths[0], "a", "b", "c"), (i.Paths[1], "d", "e", "f")])),
        [(Shape.Void, Arity.Apply0WithToken)] = (p, i) => Outcome.Run(() => p.Apply(Nothing.ZeroWithToken)),
        [(Shape.Void, Arity.Apply2WithToken)] = (p, i) => Outcome.Run(() => p.Apply(Nothing.TwoWithToken, i.Paths[0], "a")),
        [(Shape.Void, Arity.ApplyAsync0WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(Nothing.ZeroWithToken)),
        [(Shape.Void, Arity.ApplyAsync2WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(Nothing.TwoWithToken, i.Paths[0], "a")),

        // Sequence
        [(Shape.Sequence, Arity.Apply0)] = (p, i) => Outcome.Run(() => p.Apply(Sequence.Zero)),
        [(Shape.Sequence, Arity.Apply2)] = (p, i) => Outcome.Run(() => p.Apply(Sequence.Two, 1, 2)),
        [(Shape.Sequence, Arity.Apply3)] = (p, i) => Outcome.Run(() => p.Apply(Sequence.Three, 1, 2, 3)),
        [(Shape.Sequence, Arity.Apply4)] = (p, i) => Outcome.Run(() => p.Apply(Sequence.Four, 1, 2, 3, 4)),
        [(Shape.Sequence, Arity.ApplyAsync0)] = (p, i) => Outcome.One(p.ApplyAsync(Sequence.Zero)),
        [(Shape.Sequence, Arity.ApplyAsync2)] = (p, i) => Outcome.One(p.ApplyAsync(Sequence.Two, 1, 2)),
        [(Shape.Sequence, Arity.ApplyAsync3)] = (p, i) => Outcome.One(p.ApplyAsync(Sequence.Three, 1, 2, 3)),
        [(Shape.Sequence, Arity.ApplyAsync4)] = (p, i) => Outcome.One(p.ApplyAsync(Sequence.Four, 1, 2, 3, 4)),
        [(Shape.Sequence, Arity.StarMap3)] = (p, i) => Outcome.List(p.StarMap(Sequence.Three, [(1, 2, 3), (4, 5, 6)])),
        [(Shape.Sequence, Arity.StarMap4)] = (p, i) => Outcome.List(p.StarMap(Sequence.Four, [(1, 2, 3, 4), (5, 6, 7, 8)])),
        [(Shape.Sequence, Arity.StarMapAsync3)] = (p, i) => Outcome.List(p.StarMapAsync(Sequence.Three, [(1, 2, 3), (4, 5, 6)])),
        [(Shape.Sequence, Arity.StarMapAsync4)] = (p, i) => Outcome.List(p.StarMapAsync(Sequence.Four, [(1, 2, 3, 4), (5, 6, 7, 8)])),
        [(Shape.Sequence, Arity.Apply0WithToken)] = (p, i) => Outcome.Run(() => p.Apply(Sequence.ZeroWithToken)),
        [(Shape.Sequence, Arity.Apply2WithToken)] = (p, i) => Outcome.Run(() => p.Apply(Sequence.TwoWithToken, 1, 2)),
        [(Shape.Sequence, Arity.ApplyAsync0WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(Sequence.ZeroWithToken)),
        [(Shape.Sequence, Arity.ApplyAsync2WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(Sequence.TwoWithToken, 1, 2)),

        // AsyncSequence
        [(Shape.AsyncSequence, Arity.Apply0)] = (p, i) => Outcome.Run(() => p.Apply(AsyncSequence.Zero)),
        [(Shape.AsyncSequence, Arity.Apply2)] = (p, i) => Outcome.Run(() => p.Apply(AsyncSequence.Two, 1, 2)),
        [(Shape.AsyncSequence, Arity.Apply3)] = (p, i) => Outcome.Run(() => p.Apply(AsyncSequence.Three, 1, 2, 3)),
        [(Shape.AsyncSequence, Arity.Apply4)] = (p, i) => Outcome.Run(() => p.Apply(AsyncSequence.Four, 1, 2, 3, 4)),
        [(Shape.AsyncSequence, Arity.ApplyAsync0)] = (p, i) => Outcome.One(p.ApplyAsync(AsyncSequence.Zero)),
        [(Shape.AsyncSequence, Arity.ApplyAsync2)] = (p, i) => Outcome.One(p.ApplyAsync(AsyncSequence.Two, 1, 2)),
        [(Shape.AsyncSequence, Arity.ApplyAsync3)] = (p, i) => Outcome.One(p.ApplyAsync(AsyncSequence.Three, 1, 2, 3)),
        [(Shape.AsyncSequence, Arity.ApplyAsync4)] = (p, i) => Outcome.One(p.ApplyAsync(AsyncSequence.Four, 1, 2, 3, 4)),
        [(Shape.AsyncSequence, Arity.StarMap3)] = (p, i) => Outcome.List(p.StarMap(AsyncSequence.Three, [(1, 2, 3), (4, 5, 6)])),
        [(Shape.AsyncSequence, Arity.StarMap4)] = (p, i) => Outcome.List(p.StarMap(AsyncSequence.Four, [(1, 2, 3, 4), (5, 6, 7, 8)])),
        [(Shape.AsyncSequence, Arity.StarMapAsync3)] = (p, i) => Outcome.List(p.StarMapAsync(AsyncSequence.Three, [(1, 2, 3), (4, 5, 6)])),
        [(Shape.AsyncSequence, Arity.StarMapAsync4)] = (p, i) => Outcome.List(p.StarMapAsync(AsyncSequence.Four, [(1, 2, 3, 4), (5, 6, 7, 8)])),
        [(Shape.AsyncSequence, Arity.Apply0WithToken)] = (p, i) => Outcome.Run(() => p.Apply(AsyncSequence.ZeroWithToken)),
        [(Shape.AsyncSequence, Arity.Apply2WithToken)] = (p, i) => Outcome.Run(() => p.Apply(AsyncSequence.TwoWithToken, 1, 2)),
        [(Shape.AsyncSequence, Arity.ApplyAsync0WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(AsyncSequence.ZeroWithToken)),
        [(Shape.AsyncSequence, Arity.ApplyAsync2WithToken)] = (p, i) => Outcome.One(p.ApplyAsync(AsyncSequence.TwoWithToken, 1, 2)),    };
}
