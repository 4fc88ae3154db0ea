using System.Collections.Concurrent;
using System.Text;
using ClusterPool.Output;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// A child's stdout and stderr read line by line. On Windows a child's pipes are synchronous and an asynchronous read
/// holds a thread-pool thread until the stream ends: there each stream is read on a thread of its own. Here a stream
/// whose reads block, as such a pipe's do, stands for one.
/// </summary>
public class ChildProcessLinesTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EachLineInOrderThenNullOnce(bool onOwnThread)
    {
        var lines = new BlockingCollection<string?>();
        var stream = Text("one\ntwo\r\n\nthree");
        ChildProcessLines.Follow(stream, "test-lines", lines.Add, onOwnThread);
        Assert.Equal(["one", "two", "", "three", null], Take(lines, 5));
        Assert.False(lines.TryTake(out _, TimeSpan.FromMilliseconds(200)), "a line after the end");
    }

    [Fact]
    public void OnItsOwnThreadAStreamThatBlocksHoldsNoThreadPoolThread()
    {
        var streams = Enumerable.Range(0, 4).Select(_ => new BlockingStream()).ToList();
        var lines = new BlockingCollection<string?>();
        foreach (var stream in streams) ChildProcessLines.Follow(new StreamReader(stream), "test-lines", lines.Add, true);
        foreach (var stream in streams) Assert.True(stream.Reading.Wait(TimeSpan.FromSeconds(10)), "a stream not read");
        Assert.All(streams, stream => Assert.False(stream.ReadOnPoolThread, "read on a thread-pool thread"));
        foreach (var stream in streams) stream.Send("line\n");
        Assert.All(Take(lines, 4), line => Assert.Equal("line", line));
        foreach (var stream in streams) stream.End();
        Assert.All(Take(lines, 4), Assert.Null);
    }

    /// <summary>Why Windows reads on a thread of its own: the stand-in's asynchronous read holds a thread-pool thread,
    /// as a synchronous pipe's does there (and the test above could fail).</summary>
    [Fact]
    public void ReadAsynchronouslyAStreamThatBlocksHoldsAThreadPoolThread()
    {
        var stream = new BlockingStream();
        var lines = new BlockingCollection<string?>();
        ChildProcessLines.Follow(new StreamReader(stream), "test-lines", lines.Add, false);
        Assert.True(stream.Reading.Wait(TimeSpan.FromSeconds(10)), "the stream not read");
        Assert.True(stream.ReadOnPoolThread);
        stream.Send("line\n");
        stream.End();
        Assert.Equal(["line", null], Take(lines, 2));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ACallbackThatThrowsLosesOnlyItsLine(bool onOwnThread)
    {
        var lines = new BlockingCollection<string?>();
        var stream = Text("one\nbad\nthree\n");
        ChildProcessLines.Follow(stream, "test-lines", line =>
        {
            if (line == "bad") throw new InvalidOperationException("a logger that fails");
            lines.Add(line);
        }, onOwnThread);
        Assert.Equal(["one", "three", null], Take(lines, 3));
    }

    /// <summary>Whatever a read throws ends the stream with null (a reader of its own must not end the program with an
    /// unhandled exception), and the stream is disposed (a process's Dispose no longer does it).</summary>
    [Theory]
    [InlineData(true, typeof(ObjectDisposedException))]
    [InlineData(true, typeof(NotSupportedException))]
    [InlineData(false, typeof(NotSupportedException))]
    public void AReadThatFailsEndsWithNullAndTheStreamIsDisposed(bool onOwnThread, Type error)
    {
        var stream = new BlockingStream();
        var lines = new BlockingCollection<string?>();
        ChildProcessLines.Follow(new StreamReader(stream), "test-lines", lines.Add, onOwnThread);
        Assert.True(stream.Reading.Wait(TimeSpan.FromSeconds(10)), "the stream not read");
        stream.Fail((Exception)Activator.CreateInstance(error, "pipe")!);
        Assert.Equal([null], Take(lines, 1));
        Assert.True(stream.Disposed);
    }

    private static StreamReader Text(string text) => new(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static List<string?> Take(BlockingCollection<string?> lines, int count) =>
        [.. Enumerable.Range(0, count).Select(_ =>
            lines.TryTake(out var line, TimeSpan.FromSeconds(10)) ? line : throw new TimeoutException("no line"))];

    /// <summary>
    /// A stream whose reads block until data is sent, and whose asynchronous reads are <see cref="Stream"/>'s own (the
    /// blocking read on a thread-pool thread), as a synchronous pipe's on Windows.
    /// </summary>
    private sealed class BlockingStream : Stream
    {
        private readonly BlockingCollection<object> _chunks = new();

        public ManualResetEventSlim Reading { get; } = new();

        public bool ReadOnPoolThread { get; private set; }

        public bool Disposed { get; private set; }

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }

        public void Send(string text) => _chunks.Add(Encoding.UTF8.GetBytes(text));

        public void End() => _chunks.Add(Array.Empty<byte>());

        public void Fail(Exception error) => _chunks.Add(error);

        public override int Read(byte[] buffer, int offset, int count)
        {
            ReadOnPoolThread |= Thread.CurrentThread.IsThreadPoolThread;
            Reading.Set();
            switch (_chunks.Take())
            {
                case Exception error: throw error;
                case byte[] bytes:
                    bytes.CopyTo(buffer, offset); // small chunks only
                    return bytes.Length;
                default: throw new InvalidOperationException();
            }
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
