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
    public static Exception Rebuild(RemoteError error)
    {
        if (error.Exception is { } bytes && ExceptionPayload.TryDeserialize(bytes) is { } whole)
        {
            whole.Data["clusterpool.host"] = error.Host;
            whole.Data["clusterpool.pid"] = error.Pid;
            return whole;
        }
        Exception? rebuilt = null;
        var type = Type.GetType(error.TypeName, throwOnError: false);
        if (type is not null && typeof(Exception).IsAssignableFrom(type)
            && type.GetConstructor([typeof(string)]) is { } ctor)
        {
            try { rebuilt = (Exception)ctor.Invoke([error.Message]); }
            catch { rebuilt = null; }
        }
        if (rebuilt is null) return new RemoteTaskException(
            error.TypeName.Split(',')[0], error.Message, error.StackTrace);

        rebuilt.Data["clusterpool.host"] = error.Host;
        rebuilt.Data["clusterpool.pid"] = error.Pid;
        // The remote frames become part of the exception's own StackTrace, as with an exception rethrown across an
        // await.
        return ExceptionDispatchInfo.SetRemoteStackTrace(rebuilt,
            $"   (on host {error.Host}, worker pid {error.Pid}){Environment.NewLine}{error.StackTrace}");
    }
}
