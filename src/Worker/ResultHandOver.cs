using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Worker;

/// <summary>
/// Hands big result payloads to a pool on this machine through files in its hand-over folder instead of the network
/// (<see cref="HandOverFiles"/>; the pool reads and removes them, and removes the folder when it stops). A file that
/// cannot be written (the folder's memory is full) turns hand-over off for this process: results go over the network.
/// Thread-safe: a slot's runner and its watchdog post results.
/// </summary>
/// <param name="folder">The pool's hand-over folder (<see cref="Welcome.HandOverFolder"/>); null: none.</param>
/// <param name="above">Payloads of more bytes than this are handed over.</param>
internal sealed class ResultHandOver(string? folder, long above)
{
    /// <summary>Hands nothing over.</summary>
    public static readonly ResultHandOver None = new(null, 0);

    private static long _sent;
    private volatile bool _off = folder is null;

    /// <summary>The result as it is to be sent: its payload in a file when it is big, else as it is.</summary>
    public ChunkResult For(ChunkResult result)
    {
        if (_off || result.Payload is not { } payload || payload.Length <= above) return result;
        var file = Path.Combine(folder!, HandOverFiles.ResultFileName(Environment.ProcessId,
            Interlocked.Increment(ref _sent)));
        try
        {
            File.WriteAllBytes(file, payload);
            return result with { Payload = null, PayloadFile = file };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _off = true;
            // the folder went with its pool (it is closing): nothing to say
            if (e is DirectoryNotFoundException) return result;
            ProcessConsole.Error.WriteLine(
                $"clusterpool worker: a result could not be written in {folder}: {e.Message}; results go over the " +
                "network from now on");
            try { File.Delete(file); }
            catch (Exception) { } // what was written of it goes with the folder
            return result;
        }
    }
}
