namespace ClusterPool.Worker;

/// <summary>
/// This process's stdin as a lifeline: whoever started it holds the write end of the pipe, and when that end closes
/// for any reason (closed on purpose, its process killed with <c>kill -9</c>, the SSH session that carried it ended)
/// the read returns end-of-file at once, with no signal needed. Read on a background thread of its own (a blocking
/// read, as no stdin read can be cancelled), line by line until then. An embedded worker's watch of its pool
/// (<see cref="ParentWatch"/>) and a supervisor's <c>--exit-with-stdin</c> (<see cref="WorkerSupervisor"/>) use
/// it.
/// </summary>
internal static class StdinWatch
{
    /// <summary>
    /// Starts the thread <paramref name="name"/>: it hands each line to <paramref name="onLine"/>, then calls
    /// <paramref name="onClosed"/> once, with null at end-of-file, or with the error when stdin cannot be read.
    /// </summary>
    public static void Start(string name, Action<string> onLine, Action<Exception?> onClosed) =>
        new Thread(() =>
        {
            Exception? error = null;
            try
            {
                using var stdin = new StreamReader(Console.OpenStandardInput());
                while (stdin.ReadLine() is { } line) onLine(line);
            }
            catch (Exception e) { error = e; }
            onClosed(error);
        }) { IsBackground = true, Name = name }.Start();
}
