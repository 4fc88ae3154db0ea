using System.Reflection;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// A task's exception as a whole object, so the caller gets what the worker threw: its type, message, inner exceptions
/// (an AggregateException's too), parameter name, and the user's own properties (<c>Symbol</c>, <c>Price</c>), each
/// with its stack trace from the worker. The runtime's own bookkeeping in <see cref="Exception"/> (the raw stack, a
/// method handle) means nothing in another process: <see cref="ExceptionFieldsFactory"/> leaves it out, and the stack
/// trace travels as text. Where an exception cannot cross (it holds a stream, say), the worker sends its type and text
/// only.
/// </summary>
internal static class ExceptionPayload
{
    // The stack trace as text: kept where .NET puts a rethrown exception's remote frames. (The runtime's raw stack and
    // method handles are left out by ExceptionFieldsFactory, which writes the exception.)
    private static readonly FieldInfo? StackTraceText = Field("_stackTraceString");
    private static readonly FieldInfo? RemoteStackTrace = Field("_remoteStackTraceString");

    /// <summary>
    /// The exception and every exception inside it, serialized, each stack trace kept as text naming
    /// <paramref name="where"/>; null if it cannot be serialized. Changes <paramref name="error"/>: call it last.
    /// </summary>
    public static byte[]? TrySerialize(Exception error, string where)
    {
        try
        {
            foreach (var e in Tree(error)) KeepStackTraceAsText(e, where, rethrown: ReferenceEquals(e, error));
            return PayloadSerializer.Serialize(error, "the exception");
        }
        catch (Exception) { return null; } // anything at all: the caller falls back to the exception's type and text
    }

    /// <summary>The exception <see cref="TrySerialize"/> wrote; null if it cannot be read here (its type does not load,
    /// say).</summary>
    public static Exception? TryDeserialize(byte[] bytes)
    {
        try { return PayloadSerializer.Deserialize<Exception>(bytes, "the exception"); }
        catch (Exception) { return null; }
    }

    /// <summary>The message of <paramref name="error"/>, or a note if its <c>Message</c> getter throws.</summary>
    public static string SafeMessage(Exception error)
    {
        try { return error.Message; }
        catch (Exception e) { return $"(its Message could not be read: {e.GetType().Name})"; }
    }

    /// <summary>The stack trace of <paramref name="error"/>, or empty if it cannot be read.</summary>
    public static string SafeStackTrace(Exception error)
    {
        try { return error.StackTrace ?? ""; }
        catch (Exception) { return ""; }
    }

    /// <summary>What .NET writes between an exception's frames from before a rethrow and those after it.</summary>
    private const string RethrownHere = "--- End of stack trace from previous location ---";

    /// <summary>Keeps the stack trace of <paramref name="e"/> as text naming <paramref name="where"/>; the exception
    /// the caller's call throws again (<paramref name="rethrown"/>) gets .NET's line between the worker's frames and
    /// the caller's.</summary>
    private static void KeepStackTraceAsText(Exception e, string where, bool rethrown)
    {
        var stack = SafeStackTrace(e);
        if (RemoteStackTrace is null || StackTraceText is null) throw new MissingFieldException(
            "System.Exception's fields changed");
        StackTraceText.SetValue(e, null);
        // Shown before the exception's own frames wherever it is thrown again, as .NET shows an awaited task's frames.
        RemoteStackTrace.SetValue(e, stack.Length == 0 ? null
            : $"   ({where}){Environment.NewLine}{stack}{Environment.NewLine}" +
                (rethrown ? RethrownHere + Environment.NewLine : ""));
    }

    /// <summary>The exception and all it holds: inner exceptions, an AggregateException's list, each once.</summary>
    private static IEnumerable<Exception> Tree(Exception root)
    {
        var seen = new HashSet<Exception>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Exception>([root]);
        while (pending.TryPop(out var e))
        {
            if (!seen.Add(e)) continue;
            yield return e;
            if (e.InnerException is { } inner) pending.Push(inner);
            if (e is AggregateException aggregate)
                foreach (var child in aggregate.InnerExceptions) pending.Push(child);
        }
    }

    private static FieldInfo? Field(string name) => typeof(Exception).GetField(
        name, BindingFlags.Instance | BindingFlags.NonPublic);
}
