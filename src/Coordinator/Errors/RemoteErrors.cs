using System.Runtime.ExceptionServices;
using ClusterPool.Contracts.Messages;

namespace ClusterPool;

/// <summary>Re-creates a worker's exception on the caller's side: the same type where it loads, its message, and its remote stack trace.</summary>
internal static class RemoteErrors
{
    public static Exception Rebuild(RemoteError error)
    {
        Exception? rebuilt = null;
        var type = Type.GetType(error.TypeName, throwOnError: false);
        if (type is not null && typeof(Exception).IsAssignableFrom(type) && type.GetConstructor([typeof(string)]) is { } ctor)
        {
            try { rebuilt = (Exception)ctor.Invoke([error.Message]); }
            catch { rebuilt = null; }
        }
        if (rebuilt is null) return new RemoteTaskException(error.TypeName.Split(',')[0], error.Message, error.StackTrace);

        rebuilt.Data["clusterpool.host"] = error.Host;
        rebuilt.Data["clusterpool.pid"] = error.Pid;
        // The remote frames become part of the exception's own StackTrace, as with an exception rethrown across an await.
        return ExceptionDispatchInfo.SetRemoteStackTrace(rebuilt, $"   (on host {error.Host}, worker pid {error.Pid}){Environment.NewLine}{error.StackTrace}");
    }
}
