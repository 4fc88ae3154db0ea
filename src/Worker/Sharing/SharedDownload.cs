using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Worker.Sharing;

/// <summary>
/// Puts a shared value's file in this machine's folder, fetching it from the pool if no process of the machine has
/// yet: one process downloads (it holds a lock on <c>HASH.lock</c>), the others wait for the file to appear. Pieces are
/// asked for a few at a time and written where they belong; the file is renamed into place only once whole, so a
/// reader never sees half a value, and a downloader that dies releases its lock with its life: the next process takes
/// over.
/// </summary>
internal sealed class SharedDownload(SharingSettings settings, Func<object, TimeSpan, Task<object>> ask)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private const long BigDownload = 32L << 20;

    // One download per value in this process at a time (a file lock is the process's, whichever thread holds it).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, object> _inProcess = new();

    /// <summary>Makes sure <paramref name="file"/> holds the value named by <paramref name="key"/>.</summary>
    public void Ensure(SharedKey key, string file)
    {
        lock (_inProcess.GetOrAdd(key.Hash, _ => new object()))
        {
            while (!File.Exists(file))
            {
                // The lock file stays while the value does: deleting it could let two processes hold two files of
                // one name.
                using var claim = FileClaim.TryTake(file + ".lock");
                if (claim is null)
                {
                    Thread.Sleep(Poll); // another process of this machine is downloading it
                    continue;
                }
                if (!File.Exists(file)) Download(key, file);
            }
        }
    }

    private void Download(SharedKey key, string file)
    {
        var part = file + ".part";
        try
        {
            using (var stream = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.SetLength(key.Bytes);
                var waiting = new Queue<Task<object>>();
                long next = 0;
                while (next < key.Bytes || waiting.Count > 0)
                {
                    while (waiting.Count < settings.PiecesInFlight && next < key.Bytes)
                    {
                        var length = (int)Math.Min(settings.PieceSize, key.Bytes - next);
                        waiting.Enqueue(ask(new FetchShared(key.Hash, next, length), settings.PieceTimeout));
                        next += length;
                    }
                    Write(stream, key, Await(waiting.Dequeue(), key));
                }
            }
            File.Move(part, file, overwrite: true);
            // The pieces arrived as large arrays, garbage now: a big download would otherwise leave this process
            // holding up to the value's size again until a full collection comes by itself (an aggressive one gives the
            // memory back to the system).
            if (key.Bytes >= BigDownload)
            {
                GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            }
        }
        catch (IOException e)
        {
            ShareUsers.TryDelete(part);
            throw new IOException($"the {key.Describe()} cannot be stored in {settings.Directory}: {e.Message}" +
                                  (IsDiskFull(e) ? " (set clusterpool.worker.shared.directory to a folder with room)"
                                      : ""), e);
        }
        catch
        {
            ShareUsers.TryDelete(part);
            throw;
        }
    }

    // ENOSPC on Unix (.NET keeps the errno), ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows
    private static bool IsDiskFull(IOException e) =>
        e.HResult is 28 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    private object Await(Task<object> piece, SharedKey key)
    {
        try { return piece.GetAwaiter().GetResult(); }
        catch (Akka.Actor.AskTimeoutException)
        {
            throw new TimeoutException($"a piece of the {key.Describe()} did not come from the pool within " +
                                       $"{settings.PieceTimeout} (clusterpool.worker.shared.piece-timeout)");
        }
    }

    private static void Write(FileStream stream, SharedKey key, object reply)
    {
        switch (reply)
        {
            case SharedPiece piece:
                RandomAccess.Write(stream.SafeFileHandle, piece.Bytes, piece.Offset);
                return;
            case SharedUnavailable:
                throw new ObjectDisposedException("Shared",
                    $"the pool no longer holds the {key.Describe()}: its handle was disposed, or its pool closed, " +
                    "before this task read it (or the handle came from another pool)");
            default:
                throw new InvalidOperationException($"the pool answered a request for the {key.Describe()} with " +
                                                    $"{reply.GetType().Name}");
        }
    }
}
