using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Sharing;
using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary><see cref="ResultHandOver"/>, a worker's side of big results through memory.</summary>
public sealed class ResultHandOverTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory(HandOverFiles.FolderPrefix).FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ChunkResult Result(int bytes) => new(1, 2, 0, 1, new byte[bytes], null, true, 0.1);

    [Fact]
    public void ABigResultGoesAsAFileThePoolTakesAndASmallOneAsItIs()
    {
        var handOver = new ResultHandOver(_folder, above: 1024);
        var big = Result(4096);
        big.Payload![7] = 42;

        var sent = handOver.For(big);
        Assert.Null(sent.Payload);
        Assert.Equal(big.Payload, HandOverFiles.TakeResult(sent.PayloadFile!, _folder));
        var small = Result(100);
        Assert.Same(small, handOver.For(small));
        Assert.Same(big, ResultHandOver.None.For(big));                  // a pool elsewhere: over the network
    }

    [Fact]
    public void AFileThatCannotBeWrittenSendsTheResultAsItIsAndTurnsHandOverOff()
    {
        var handOver = new ResultHandOver(Path.Combine(_folder, "gone"), above: 1024);
        var big = Result(4096);

        Assert.Same(big, handOver.For(big));
        Assert.Same(big, handOver.For(big));                             // off: not tried again
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }
}
