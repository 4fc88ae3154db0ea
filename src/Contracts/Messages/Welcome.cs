namespace ClusterPool.Contracts.Messages;

/// <summary>Coordinator → worker host: registration accepted, with what every worker process of this pool must
/// do.</summary>
/// <param name="Initializer">Run once per worker process as it starts, before any task (Python's <c>initializer</c>),
/// or null.</param>
/// <param name="InitArgs">The initializer's arguments, serialized (Python's <c>initargs</c>).</param>
/// <param name="MaxTasksPerChild">Tasks (chunks) a worker process runs before it retires and is replaced; 0 for no
/// limit.</param>
/// <param name="MaxMemoryPerChild">Bytes of working set above which a worker process retires after its current task; 0
/// for no limit.</param>
/// <param name="StuckTaskGrace">How long a task may run past its timeout, ignoring its cancelled token, before its
/// worker process is recycled to stop it.</param>
/// <param name="ShutdownGrace">On SIGTERM, how long a worker host may take to finish its running tasks before it hands
/// them back and leaves.</param>
/// <param name="SendResultsEvery">How often a running chunk sends the results it has so far, so a lost worker or
/// coordinator costs at most this much finished work per slot.</param>
/// <param name="HandOverFolder">To a worker process the pool started on its own machine: the folder where results
/// of more than <paramref name="HandOverAbove"/> bytes are handed over through memory
/// (<see cref="Sharing.HandOverFiles"/>); null: all results go over the network.</param>
/// <param name="HandOverAbove">See <paramref name="HandOverFolder"/>.</param>
internal sealed record Welcome(FunctionRef? Initializer, byte[]? InitArgs, int MaxTasksPerChild, long MaxMemoryPerChild,
    TimeSpan StuckTaskGrace,
    TimeSpan ShutdownGrace, TimeSpan SendResultsEvery, string? HandOverFolder = null, long HandOverAbove = 0);
