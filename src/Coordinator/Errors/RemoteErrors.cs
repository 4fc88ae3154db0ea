using System.Runtime.ExceptionServices;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool;

/// <summary>
/// Re-creates a worker's exception on the caller's side: the exception itself where it crossed whole (inner exceptions,
/// properties and remote stack traces included); otherwise the same type where it loads, with its message and remote
/// stack trace; otherwise a <see cref="RemoteTaskException"/> naming the type.
/// </summary>
internal static class RemoteErrors
{
    /// <summary>The exception <paramref name="error"/> describes. <paramref name="item"/>, the index of the item whose
    /// task raised it, goes into its <c>Data["clusterpool.item"]</c>, beside the worker's host and pid.</summary>
    public static Exception Rebuild(RemoteError error, long? item = null)
    {
        var crossed = error.Exception is { } bytes ? ExceptionPayload.TryDeserialize(bytes) : null;
        var recreated = crossed is null ? Recreate(error) : null;
        var rebuilt = crossed ?? recreated
            ?? new RemoteTaskException(error.TypeName.Split(',')[0], error.Message, error.StackTrace);
        rebuilt.Data["clusterpool.host"] = error.Host;
        rebuilt.Data["clusterpool.pid"] = error.Pid;
        if (item is { } index) rebuilt.Data["clusterpool.item"] = index;
        // The remote frames become part of a recreated exception's own StackTrace, as with an exception rethrown across
        // an await (one that crossed whole carries them; a RemoteTaskException holds them).
        return recreated is null ? rebuilt : ExceptionDispatchInfo.SetRemoteStackTrace(recreated,
            $"   (on host {error.Host}, worker pid {error.Pid}){Environment.NewLine}{error.StackTrace}");
    }

    /// <summary>
    /// A new exception of the error's type with its message, where the type loads here and takes a message: through
    /// <c>(string message, Exception inner)</c>, or a constructor whose one string is named <c>message</c>. Not any
    /// <c>(string)</c> constructor: ArgumentNullException's, ArgumentOutOfRangeException's and
    /// ObjectDisposedException's take a parameter or object name, and the message came back garbled.
    /// </summary>
    private static Exception? Recreate(RemoteError error)
    {
        var type = Type.GetType(error.TypeName, throwOnError: false);
        if (type is null || !typeof(Exception).IsAssignableFrom(type)) return null;
        object?[]? arguments = null;
        var constructor = type.GetConstructor([typeof(string), typeof(Exception)]);
        if (constructor is not null) arguments = [error.Message, null];
        else if (type.GetConstructor([typeof(string)]) is { } one && one.GetParameters()[0].Name == "message")
            (constructor, arguments) = (one, [error.Message]);
        if (constructor is null) return null;
        try { return (Exception)constructor.Invoke(arguments); }
        catch { return null; }
    }
}
