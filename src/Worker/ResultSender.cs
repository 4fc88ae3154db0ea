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
    /// long it took.
    /// </summary>
    public void Send(Chunk chunk, Array values, int count, RemoteError? error, Stopwatch clock, bool complete = true,
        int from = 0)
    {
        var parts = new List<(int Offset, int Count, byte[]? Payload)>();
        error = Pack(chunk, from, values, from, count - from, parts) ?? error;
        var seconds = clock.Elapsed.TotalSeconds;
        if (parts.Count == 0) parts.Add((from, 0, null));
        for (var p = 0; p < parts.Count; p++)
        {
            var last = p == parts.Count - 1 && complete;
            var (offset, n, payload) = parts[p];
            outbox.Post(new ChunkResult(chunk.CallId, chunk.ChunkId, offset, n, payload, last ? error : null, last,
                last ? seconds : 0));
        }
    }

    /// <summary>
    /// A long chunk's finished results, sent now rather than with the rest (<see cref="ResultCadence"/>): a worker or
    /// coordinator lost later costs only the items since.
    /// </summary>
    public void SendSoFar(Chunk chunk, Array values, int done, Stopwatch clock, ResultCadence cadence)
    {
        Send(chunk, values, done, null, clock, complete: false, from: cadence.Sent);
        outbox.Flush();
        cadence.SentUpTo(done);
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
