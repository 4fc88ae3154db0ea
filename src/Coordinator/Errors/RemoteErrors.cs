using System.Runtime.ExceptionServices;
using System.Reflection;
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
    /// A new exception of the error's type with its message, where the type loads here and a constructor of
    /// <c>(string, Exception)</c> or <c>(string)</c> makes one whose message is the error's. Not just any: for
    /// ArgumentNullException, ArgumentOutOfRangeException and ObjectDisposedException the one string is a parameter or
    /// object name, for TypeInitializationException a type's, and the message came back garbled.
    /// </summary>
    private static Exception? Recreate(RemoteError error)
    {
        var type = Type.GetType(error.TypeName, throwOnError: false);
        if (type is null || !typeof(Exception).IsAssignableFrom(type)) return null;
        foreach (var (parameters, arguments) in new (Type[], object?[])[]
                 {
                     ([typeof(string), typeof(Exception)], [error.Message, null]),
                     ([typeof(string)], [error.Message]),
                 })
        {
            if (type.GetConstructor(parameters) is not { } constructor) continue;
            try
            {
                if ((Exception)constructor.Invoke(arguments) is var made && made.Message == error.Message) return made;
            }
            catch (Exception e) when (e is TargetInvocationException or MemberAccessException or ArgumentException) { }
        }
        return null;
    }
}
