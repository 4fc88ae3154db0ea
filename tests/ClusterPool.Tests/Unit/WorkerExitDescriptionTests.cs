using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>How a lost worker's end is told: its exit code's meaning, and the runtime's own fatal line if it wrote
/// one.</summary>
public class WorkerExitDescriptionTests
{
    [Fact]
    public void AStackOverflowIsNamedByItsCodeAndItsLine()
    {
        var text = WorkerExitDescription.Of(9430, 134, ["Stack overflow.", "Repeat 19283 times:", "--------------",
            "   at Bad.Recurse(Int32)", "--------------"]);
        Assert.Equal("worker process 9430 exited with code 134: aborted (SIGABRT), as on a stack overflow or another " +
            "fatal runtime error; it said \"Stack overflow.\"", text);
    }

    [Theory]
    [InlineData(137, "killed (SIGKILL: kill -9, or the system's out-of-memory killer)")]
    [InlineData(3, "a task may have called Environment.Exit")]
    public void AnExitCodeSaysWhatItMeans(int code, string meaning) =>
        Assert.Equal($"worker process 1 exited with code {code}: {meaning}", WorkerExitDescription.Of(1, code, []));

    [Fact]
    public void ACodeOfTheWorkersOwnIsLeftToTheWorkersOwnLine() =>
        Assert.Equal("worker process 1 exited with code 77", WorkerExitDescription.Of(1, 77, ["clusterpool worker: ..."]));
}
