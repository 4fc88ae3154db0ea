using System.Collections;
using System.Runtime.CompilerServices;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Dispatch;

/// <summary>
/// Cuts items out of a chunk as new chunks, and names one item for an error message. Used off the happy path only:
/// after an item failed (the rest of its chunk runs on) and after a worker was lost (its chunks run again item by item,
/// so an item that kills its worker is found and named, and costs no other item).
/// </summary>
internal static class ChunkPieces
{
    /// <summary>Items <c>[from, to)</c> of <paramref name="chunk"/> (to its end by default), as chunks of at most
    /// <paramref name="size"/> items.</summary>
    public static List<Chunk> Cut(Chunk chunk, int from, int size, Func<long> nextId, int? to = null)
    {
        var pieces = new List<Chunk>();
        var end = to ?? chunk.Count;
        if (from >= end) return pieces;
        var items = Items(chunk);
        for (var start = from; start < end; start += size)
        {
            var count = Math.Min(size, end - start);
            var slice = Array.CreateInstance(items.GetType().GetElementType()!, count);
            Array.Copy(items, start, slice, 0, count);
            pieces.Add(chunk with
            {
                ChunkId = nextId(),
                FirstIndex = chunk.FirstIndex + start,
                Count = count,
                Payload = PayloadSerializer.Serialize(slice, "a chunk's arguments"),
            });
        }
        return pieces;
    }

    /// <summary>A short form of item <paramref name="offset"/>'s arguments, such as <c>(5)</c> or <c>(3,
    /// "AAPL")</c>.</summary>
    public static string Describe(Chunk chunk, int offset)
    {
        try
        {
            var item = Items(chunk).GetValue(offset);
            var args = chunk.OneArgument ? [item] : (object?[])item!;
            var text = "(" + string.Join(", ", args.Select(Short)) + ")";
            return text.Length <= 120 ? text : text[..117] + "...";
        }
        // Anything at all: this runs in the coordinator actor, and an exception out of here stopped it (and failed
        // every call of the pool), where all it was to do was word an error.
        catch (Exception) { return "(arguments unavailable)"; }
    }

    private static Array Items(Chunk chunk) => PayloadSerializer.Deserialize<Array>(
        chunk.Payload, $"the arguments of {chunk.Function.DisplayName}");

    private static string Short(object? value) => value switch
    {
        null => "null",
        string s => $"\"{(s.Length <= 40 ? s : s[..37] + "...")}\"",
        ICollection c and not ITuple => $"{value.GetType().Name}[{c.Count}]",
        _ => ToStringOrTypeName(value),
    };

    // The user's own ToString may throw (a record printing a property that is null here): its type name then.
    private static string ToStringOrTypeName(object value)
    {
        try { return value.ToString() ?? value.GetType().Name; }
        catch (Exception) { return value.GetType().Name; }
    }
}
