using System.Diagnostics;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// Sends a chunk's results to the coordinator (through the slot's <see cref="ResultOutbox"/>) in parts that each fit
/// one Akka.Remote frame: a part too big is halved until it fits; a value that cannot be sent at all (too large, or not
/// serializable) ends the chunk with an error that names it.
/// </summary>
internal sealed class ResultSender(ResultOutbox outbox, FrameBudget budget, WorkerErrors errors)
{
    /// <summary>
    /// Sends <paramref name="values"/> <c>[from, count)</c> (those before <paramref name="from"/> were sent already),
    /// then <paramref name="error"/> if any; the last part says the chunk is <paramref name="complete"/> and how
    /// long it took. A value that cannot be sent ends the chunk there, with its error, even among the results so far
    /// (sent as not complete, its error was dropped and every later part refused: the call hung). Returns whether
    /// one did.
    /// </summary>
    public bool Send(Chunk chunk, Array values, int count, RemoteError? error, Stopwatch clock, bool complete = true,
        int from = 0)
    {
        TaskConsole.EndThisThreadsLines(); // the text a task wrote without a newline after it, before its result
        var parts = new List<(int Offset, int Count, byte[]? Payload)>();
        var unsendable = Pack(chunk, from, values, from, count - from, parts);
        error = Bounded(unsendable ?? error);
        complete |= unsendable is not null;
        var seconds = clock.Elapsed.TotalSeconds;
        // The error travels with the last part when both fit one message, else in a part of its own.
        if (parts.Count == 0 || (complete && error is not null
                                 && parts[^1].Payload!.Length + error.Size > budget.MaxPayload))
            parts.Add((parts.Count == 0 ? from : parts[^1].Offset + parts[^1].Count, 0, null));
        for (var p = 0; p < parts.Count; p++)
        {
            var last = p == parts.Count - 1 && complete;
            var (offset, n, payload) = parts[p];
            outbox.Post(new ChunkResult(chunk.CallId, chunk.ChunkId, offset, n, payload, last ? error : null, last,
                last ? seconds : 0));
        }
        return unsendable is not null;
    }

    /// <summary>
    /// <paramref name="error"/>, small enough to travel: an exception whose message or stack trace is too long for a
    /// frame (Akka.Remote drops such a message, and the call hung) arrives as its type with both texts cut.
    /// </summary>
    private RemoteError? Bounded(RemoteError? error)
    {
        var most = budget.MaxPayload / 8; // it may share its message with other results
        if (error is null || error.Size <= most) return error;
        var chars = (int)Math.Max(256, most / 8);
        return error with
        {
            Exception = null, Message = Cut(error.Message, chars), StackTrace = Cut(error.StackTrace, chars),
        };
    }

    private static string Cut(string text, int chars) => text.Length <= chars
        ? text
        : $"{text[..chars]}... ({text.Length - chars:N0} characters more, cut to fit a message)";

    /// <summary>
    /// A long chunk's finished results, sent now rather than with the rest (<see cref="ResultCadence"/>): a worker or
    /// coordinator lost later costs only the items since. Returns true when a value could not be sent: the chunk ended
    /// there, with its error, and its runner stops.
    /// </summary>
    public bool SendSoFar(Chunk chunk, Array values, int done, Stopwatch clock, ResultCadence cadence)
    {
        var ended = Send(chunk, values, done, null, clock, complete: false, from: cadence.Sent);
        outbox.Flush();
        cadence.SentUpTo(done);
        return ended;
    }

    /// <summary>
    /// Serializes values into parts under the frame budget, halving a part that is too big. Returns the error of the
    /// first value that cannot be sent at all; the parts then stop before it.
    /// </summary>
    private RemoteError? Pack(Chunk chunk, int offset, Array values, int start, int count,
        List<(int, int, byte[]?)> parts)
    {
        if (count == 0) return null;
        var slice = Slice(values, start, count);
        var item = $"the result of item {chunk.FirstIndex + offset} ({TypeName(slice.GetValue(0))})";
        byte[] bytes;
        // "the result of item 3 (System.Func<System.Int32, System.Int32>) cannot be sent to another process: ..."
        try { bytes = PayloadSerializer.Serialize(slice, count == 1 ? item : "the results"); }
        catch (PayloadSerializationException) when (count > 1) { bytes = []; }
        catch (PayloadSerializationException e) { return errors.Describe(e, ErrorKind.Result); }
        if (bytes.Length > 0 && bytes.Length <= budget.MaxPayload)
        {
            parts.Add((offset, count, bytes));
            return null;
        }
        if (count == 1)
        {
            var tooLarge = budget.TooLarge(item, bytes.Length);
            return errors.Describe(tooLarge, ErrorKind.Result);
        }
        var half = count / 2;
        return Pack(chunk, offset, values, start, half, parts)
               ?? Pack(chunk, offset + half, values, start + half, count - half, parts);
    }

    /// <summary>
    /// <c>values[start .. start + count)</c> as an array of the same element type (the whole array when it is all
    /// of it).
    /// </summary>
    private static Array Slice(Array values, int start, int count)
    {
        if (start == 0 && count == values.Length) return values;
        var slice = Array.CreateInstance(values.GetType().GetElementType()!, count);
        Array.Copy(values, start, slice, 0, count);
        return slice;
    }

    private static string TypeName(object? value) => value is null ? "null" : AllowedTypes.Readable(value.GetType());
}
