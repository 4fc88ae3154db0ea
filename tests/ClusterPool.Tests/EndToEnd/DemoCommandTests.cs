using System.Text.Json;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>The README's main command, run as a user runs it: the built <c>clusterpool demo</c>.</summary>
public class DemoCommandTests
{
    /// <summary>The demo's <c>--json</c> lines, one per method, checked to be the eight methods in the README's order.</summary>
    internal static List<JsonElement> Methods(IEnumerable<string> lines)
    {
        var methods = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["apply", "apply_async", "map", "map_async", "imap", "imap_unordered", "starmap", "starmap_async"],
            methods.Select(m => m.GetProperty("method").GetString()));
        return methods;
    }

    /// <summary>
    /// Runs <c>clusterpool demo</c> with <paramref name="args"/> (through <paramref name="wrapper"/>, such as
    /// <c>env VAR=...</c>) to its end, which must be exit code 0 within <paramref name="limit"/>; returns its eight
    /// methods' JSON lines (<paramref name="args"/> has <c>--json</c>), its stderr and its process id.
    /// </summary>
    internal static (List<JsonElement> Methods, string Stderr, int Pid) Run(IEnumerable<string> args, TimeSpan limit,
        string[]? wrapper = null)
    {
        using var demo = Binaries.Start(Binaries.ClusterPoolCli, ["demo", .. args], wrapper);
        var stderr = demo.StandardError.ReadToEndAsync();
        var stdout = demo.StandardOutput.ReadToEndAsync();
        try
        {
            Assert.True(demo.WaitForExit(limit), $"the demo did not finish in {limit.TotalSeconds:0} s");
            Assert.True(demo.ExitCode == 0, $"exit code {demo.ExitCode}: {stderr.Result}");
        }
        finally { Processes.KillTree(demo); }
        return (Methods(stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)), stderr.Result, demo.Id);
    }

    [Fact]
    public void DemoRunsAllEightMethodsOnSeparateWorkerProcessesAndPrintsJson()
    {
        // In a culture whose decimal mark is a comma: "0.3" once meant 3 there (the point groups thousands).
        var (methods, _, pid) = Run(["--scale", "0.3", "--json"], TimeSpan.FromSeconds(90),
            wrapper: ["env", "LANG=de_DE.UTF-8", "LC_ALL=de_DE.UTF-8"]);
        foreach (var method in methods)
        {
            var name = method.GetProperty("method").GetString();
            var rows = method.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(3, rows.Count);
            var texts = rows.Select(r => r[1].GetString()).ToList();
            if (name != "imap_unordered") Assert.Equal(["c", "b", "a"], texts);
            else Assert.Equal(["a", "b", "c"], texts.Order());
            var ppids = rows.Select(r => r[2].GetInt32()).Distinct().ToList();
            var pids = rows.Select(r => r[3].GetInt32()).ToList();
            Assert.Equal([pid], ppids);                            // run by the demo's own worker processes
            Assert.DoesNotContain(pid, pids);
            var wall = method.GetProperty("wall_s").GetDouble();
            if (name == "apply") Assert.InRange(wall, 1.8, 4.0);    // 0.9 + 0.6 + 0.3, one after another
            else
            {
                Assert.Equal(3, pids.Distinct().Count());          // three tasks at once on three processes
                Assert.InRange(wall, 0.9, 2.5);                     // as long as the longest task
            }
        }
    }

    [Theory]
    [InlineData("--processes", "0")]
    [InlineData("--scale", "-1")]
    [InlineData("--scale", "0,5")] // decimals with a point, whatever the culture (a comma once read as 5: 5 s tasks)
    [InlineData("--scale", "Infinity")] // parsed, then an OverflowException (exit 1)
    [InlineData("--processes", "abc")] // a validator read it and threw a stack trace (exit 134)
    [InlineData("--bogus", "1")]
    [InlineData("--hosts", "node1 slots=0")]
    public void BadArgumentsExitWithCodeTwoAndAMessage(string option, string value)
    {
        using var demo = Binaries.Start(Binaries.ClusterPoolCli, ["demo", option, value]);
        var stderr = demo.StandardError.ReadToEndAsync();
        Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, demo.ExitCode);
        Assert.Contains(option, stderr.Result);
    }
}
