namespace ClusterPool.Output;

/// <summary>
/// Reads the redirected stdout or stderr of a process this one started, line by line, for as long as it is open. On
/// Windows the read runs on a thread of its own: there a child's pipes are synchronous, and an asynchronous read
/// (<c>BeginOutputReadLine</c>, <c>ReadLineAsync</c>) holds a thread-pool thread until the stream ends
/// (dotnet/runtime#81896). A pool's workers held two each, and Akka's actors, which run on the thread pool, waited for
/// .NET to add threads (about two a second): under Wine, 16 workers were ready in 31 s instead of 9, 64 in 236 s
/// instead of 51-65, and a program whose thread pool had a cap hung. Elsewhere the read is asynchronous and holds no
/// thread while it waits.
/// </summary>
internal static class ChildProcessLines
{
    /// <summary>Whether each stream is read on a thread of its own (on Windows, as above).</summary>
    public static bool OnOwnThread { get; } = OperatingSystem.IsWindows();

    /// <summary>
    /// Hands each line of <paramref name="stream"/> to <paramref name="onLine"/>, then null once: at its end, or when
    /// it cannot be read further (a read failed). Then disposes it: a process's <c>Dispose</c> leaves a stream that was
    /// taken from it open. <paramref name="name"/> names the thread that reads it <see cref="OnOwnThread"/>. A callback
    /// that throws loses its line, never the lines after it: a stream no longer read fills its pipe, and the process
    /// writing it stops at its next line.
    /// </summary>
    public static void Follow(StreamReader stream, string name, Action<string?> onLine) =>
        Follow(stream, name, onLine, OnOwnThread);

    /// <summary><see cref="Follow(StreamReader, string, Action{string})"/>, on a thread of its own or not.</summary>
    internal static void Follow(StreamReader stream, string name, Action<string?> onLine, bool onOwnThread)
    {
        if (onOwnThread) new Thread(() => ReadAll(stream, onLine)) { IsBackground = true, Name = name }.Start();
        else _ = ReadAllAsync(stream, onLine);
    }

    // Whatever a read throws ends the stream: on a thread of its own, an exception let out would end the program.
    private static void ReadAll(StreamReader stream, Action<string?> onLine)
    {
        try
        {
            while (stream.ReadLine() is { } line) Hand(onLine, line);
        }
        catch (Exception) { /* the end, as above */ }
        finally { End(stream, onLine); }
    }

    private static async Task ReadAllAsync(StreamReader stream, Action<string?> onLine)
    {
        try
        {
            while (await stream.ReadLineAsync().ConfigureAwait(false) is { } line) Hand(onLine, line);
        }
        catch (Exception) { /* the end, as above */ }
        finally { End(stream, onLine); }
    }

    private static void End(StreamReader stream, Action<string?> onLine)
    {
        try { stream.Dispose(); }
        catch (Exception) { /* closed already, or a pipe that fails to close: nothing more to read either way */ }
        Hand(onLine, null);
    }

    private static void Hand(Action<string?> onLine, string? line)
    {
        try { onLine(line); }
        catch (Exception) { /* see Follow: the stream is read on all the same */ }
    }
}
