using ClusterPool.Worker;

// clusterpool-worker --join HOST:PORT [--slots N] [--app path/to/App.dll]: a worker host for a ClusterPool.
return await WorkerCommand.RunAsync(args);

/// <summary>The worker host's entry point: nothing of it is public (the tool and the tests reach it as
/// internals).</summary>
internal partial class Program;
