using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Sharing;

namespace ClusterPool.Worker.Sharing;

/// <summary>
/// Puts a shared value's file in this machine's folder, fetching it from the pool if no process of the machine has
/// yet: one process downloads (it holds <c>HASH.lock</c>, made only if absent, with its name inside), the others wait
/// for the file to appear. Pieces are asked for a few at a time and written where they belong; the file is renamed
/// into place only once whole, so a reader never sees half a value, and a downloader that dies leaves a lock that the
/// next process finds stale and takes over.
/// </summary>
internal sealed class SharedDownload(SharingSettings settings, Func<object, TimeSpan, Task<object>> ask)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Makes sure <paramref name="file"/> holds the value named by <paramref name="key"/>.</summary>
    public void Ensure(SharedKey key, string file)
    {
        var claim = file + ".lock";
        var vanished = 0; // locks that went before they could be read: a download that just ended, not a fault
        while (!File.Exists(file))
        {
            FileStream mine;
            try { mine = new FileStream(claim, FileMode.CreateNew, FileAccess.Write, FileShare.Read); }
            catch (IOException) when (File.Exists(claim) || ++vanished < 100)
            {
                if (File.Exists(claim) && IsStale(claim)) ShareUsers.TryDelete(claim);
                else Thread.Sleep(Poll);
                continue;
            }
            using (mine)
            {
                mine.Write(System.Text.Encoding.ASCII.GetBytes(ShareUsers.Me));
                mine.Flush();
            }
            try { if (!File.Exists(file)) Download(key, file); }
            finally { ShareUsers.TryDelete(claim); }
        }
    }

    /// <summary>A lock whose process is gone (or that stayed empty for seconds: its maker died at once).</summary>
    private static bool IsStale(string claim)
    {
        try
        {
            var owner = File.ReadAllText(claim);
            return owner.Length == 0
                ? DateTime.UtcNow - File.GetLastWriteTimeUtc(claim) > TimeSpan.FromSeconds(5)
                : !ShareUsers.IsAlive(owner);
        }
        catch (IOException) { return false; } // it went meanwhile: look again
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
        }
        catch (IOException e)
        {
            ShareUsers.TryDelete(part);
            throw new IOException($"the {key.Describe()} cannot be stored in {settings.Directory}: {e.Message} " +
                                  "(set clusterpool.worker.shared.directory to a folder with room)", e);
        }
        catch
        {
            ShareUsers.TryDelete(part);
            throw;
        }
    }

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
