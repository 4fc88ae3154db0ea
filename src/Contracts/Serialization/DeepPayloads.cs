using System.Runtime.CompilerServices;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Deeply nested payloads (a linked list 100,000 long) without a stack overflow, which no .NET program can catch: it
/// ended the caller's process. Hyperion recurses once per level of nesting, on the thread that calls it.
/// <list type="bullet">
/// <item>Writing: every write to Hyperion's stream first checks that the thread has stack to spare
/// (<see cref="GuardedStream"/>); when it has not, the payload is written again on a thread with a 1 GiB stack
/// (<see cref="BigStackThreads"/>).</item>
/// <item>Reading: Hyperion wraps an error at every level it unwinds through, which itself needs stack, so there is no
/// stopping half-way; instead a payload big enough to be deep (over 16 KiB) is read on the big stack from the start. A
/// smaller one cannot nest deeper than a few thousand levels, which any thread's stack holds.</item>
/// </list>
/// </summary>
internal static class DeepPayloads
{
    /// <summary>Payloads up to this size are read on the calling thread.</summary>
    public const int InlineReadLimit = 16 * 1024;

    /// <summary>Writes with <paramref name="write"/> (into a <see cref="GuardedStream"/>) here, or again on a big stack
    /// if it ran short here.</summary>
    public static T Write<T>(Func<T> write)
    {
        try { return write(); }
        catch (Exception e) when (RanOutOfStack(e))
        {
            try { return OnBigStack(write); }
            catch (Exception again) when (RanOutOfStack(again))
            {
                throw new InsufficientExecutionStackException(
                    "the value is nested too deeply to be sent to another process (millions of levels); send it " +
                        "flattened, as a list");
            }
        }
    }

    /// <summary>Reads <paramref name="size"/> bytes with <paramref name="read"/>: here if small, on a big stack if big
    /// enough to be deep.</summary>
    public static T Read<T>(int size, Func<T> read) => size <= InlineReadLimit ? read() : OnBigStack(read);

    private static T OnBigStack<T>(Func<T> work) => BigStackThreads.Run(work);

    private static bool RanOutOfStack(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is InsufficientExecutionStackException) return true;
        return false;
    }

    /// <summary>A memory stream to write into that refuses to go on when its thread is short of stack: an exception,
    /// not a crash.</summary>
    public sealed class GuardedStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) { Guard(); base.Write(buffer, offset, count); }
        public override void Write(ReadOnlySpan<byte> buffer) { Guard(); base.Write(buffer); }
        public override void WriteByte(byte value) { Guard(); base.WriteByte(value); }

        private static void Guard()
        {
            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack()) throw new InsufficientExecutionStackException();
        }
    }
}
