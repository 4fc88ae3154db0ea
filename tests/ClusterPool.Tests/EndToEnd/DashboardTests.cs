using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// The live dashboard (<see cref="PoolOptions.Dashboard"/>), end to end: real worker processes, the page rendered by
/// Debian's headless Chromium, its numbers read from the DOM (<see cref="DashboardPage"/>).
/// </summary>
public class DashboardTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void ThePageLoadsAndShowsTheHostWithItsIdleSlotsAndTheWebServerLogsNothingBelowWarning()
    {
        var log = new RecordingLogger();
        using var pool = Pool.Start(new PoolOptions { Processes = 2, Dashboard = "127.0.0.1:0", LoggerFactory = log.Factory() });
        var url = pool.DashboardAddress!;
        Assert.Matches(@"^http://127\.0\.0\.1:[1-9][0-9]*$", url);
        Assert.True(pool.WaitUntilReady(Patience));

        using (var http = new HttpClient())
        {
            Assert.Contains("<title>ClusterPool dashboard</title>", http.GetStringAsync(url).Result);
            using var state = JsonDocument.Parse(http.GetStringAsync($"{url}/api/state").Result);
            Assert.Equal(2, state.RootElement.GetProperty("statistics").GetProperty("slots").GetInt32());
            Assert.Equal(pool.Address, state.RootElement.GetProperty("coordinator").GetString());
            Assert.Equal(JsonValueKind.Array, state.RootElement.GetProperty("history").ValueKind);
        }

        var page = DashboardPage.Read(url);
        Assert.True(page.Loaded, $"the page never drew a state:\n{page.Html}");
        Assert.Equal((2.0, 0.0, 2.0), (page.Number("slots"), page.Number("busy-slots"), page.Number("idle-slots")));
        Assert.Equal((0.0, 0.0, 0.0), (page.Number("items-done"), page.Number("items-failed"), page.Number("workers-lost")));
        var host = Assert.Single(page.Hosts);
        Assert.Equal((Environment.MachineName, "127.0.0.1", "2", "0", "2"),
            (host["data-name"], host["data-address"], host["processes"], host["busy"], host["idle"]));
        Assert.Empty(page.Calls);

        // Kestrel and the hosting layer log to the pool's factory, and only warnings: nothing of theirs at information level.
        Assert.DoesNotContain(log.Records, r => r.Category.StartsWith("Microsoft.", StringComparison.Ordinal) && r.Level < LogLevel.Warning);
        Assert.True(log.Warnings().Count == 0, string.Join("\n", log.Warnings()));
    }

    [Fact]
    public void ThePageFollowsARunningMapAndShowsAKilledWorkerAndTheItemsRunAgain()
    {
        using var pool = Pool.Start(new PoolOptions { Processes = 2, Dashboard = "127.0.0.1:0" });
        var url = pool.DashboardAddress!;
        Assert.True(pool.WaitUntilReady(Patience));
        // Chromium's first start on a machine builds its caches (a fresh machine's took longer than the Map below):
        // the page is read once before the Map starts, so that the reads below take as long as they will each time.
        DashboardPage.Read(url);
        var map = pool.MapAsync(TestFunctions.Sleep, Enumerable.Repeat(0.1, 200), chunksize: 1); // about 10 s on two workers
        Wait.For(() => pool.Statistics.ItemsDone >= 4);

        // The page's count lies between the pool's counts just before and just after Chromium read it.
        var (first, firstLow, firstHigh) = ReadBetween(pool, url);
        Assert.InRange(first.Number("items-done"), firstLow, firstHigh);
        Assert.Equal(2, first.Number("busy-slots"));
        Assert.Equal(1, first.Number("running-calls"));
        var call = Assert.Single(first.Calls);
        Assert.EndsWith("TestFunctions.Sleep", call["data-function"]);
        Assert.Equal(("200", "false"), (call["data-total"], call["data-finished"]));
        Assert.InRange(double.Parse(call["done"]), firstLow, firstHigh);
        Assert.True(double.Parse(call["rate"]) > 0, $"rate {call["rate"]}");
        Assert.NotEqual("", call["eta"]);

        // A worker killed mid-item: the page counts it lost, and what it held runs again.
        Assert.False(map.Ready, "the Map ended before the worker could be killed: the machine is too slow for this test");
        using (var victim = Process.GetProcessById(pool.LocalWorkerProcessIds.First())) victim.Kill();
        Wait.For(() => pool.Statistics.WorkersLost == 1);
        var (second, secondLow, secondHigh) = ReadBetween(pool, url);
        Assert.InRange(second.Number("items-done"), secondLow, secondHigh);
        Assert.True(second.Number("items-done") > first.Number("items-done"),
            $"done went from {first.Number("items-done")} to {second.Number("items-done")}");
        Assert.Equal(1, second.Number("workers-lost"));
        Assert.Equal("1", Assert.Single(second.Hosts)["workers-lost"]);

        Assert.Equal(200, map.Get(Patience).Count);
        var statistics = pool.Statistics;
        var last = DashboardPage.Read(url);
        Assert.Equal((200.0, 0.0, 1.0), (last.Number("items-done"), last.Number("items-failed"), last.Number("workers-lost")));
        Assert.True(last.Number("items-rerun") >= 1, $"re-runs {last.Number("items-rerun")}");
        Assert.Equal(statistics.ItemsRerun, last.Number("items-rerun"));
        Assert.Equal(0, last.Number("running-calls"));
        var finished = Assert.Single(last.Calls);
        Assert.Equal(("200", "0", "true"), (finished["done"], finished["failed"], finished["data-finished"]));
        // The chart: a sample a second, and the lost worker drawn where it happened.
        Assert.True(last.ChartSamples >= 3, $"{last.ChartSamples} samples");
        Assert.Equal(1, last.ChartEvents("worker-lost"));
        Assert.True(last.ChartEvents("rerun") >= 1, "no re-run on the chart");
    }

    [Theory]
    [InlineData("8265")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:http")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("dashboard.example:8265")]
    [InlineData("::1:8265")]
    public void ABadDashboardAddressIsAnArgumentErrorThatNamesTheOption(string address)
    {
        var error = Assert.Throws<ArgumentException>(() => Pool.Start(new PoolOptions { Processes = 1, Dashboard = address }));
        Assert.Contains("PoolOptions.Dashboard", error.Message);
        Assert.Contains($"\"{address}\"", error.Message);
    }

    [Fact]
    public void ADashboardPortInUseIsAnErrorThatNamesTheAddressAndLeavesNoWorkerBehind()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var error = Assert.Throws<IOException>(() => Pool.Start(new PoolOptions { Processes = 1, Dashboard = address }));
        Assert.Contains(address, error.Message);
        Assert.Contains("PoolOptions.Dashboard", error.Message);
        // The worker it had started is stopped (spares that earlier tests' pools left for a next pool may wait on).
        Processes.AssertAllExited(Processes.WorkersOf(Environment.ProcessId).Except(Workers.SpareWorkers.Shared.ProcessIds));
    }

    [Fact]
    public void TheDemoCommandPrintsTheDashboardsAddressOnStderrOnceAndKeepsStdoutForItsJson()
    {
        using var demo = Binaries.Start(Binaries.ClusterPoolCli, ["demo", "--scale", "0.1", "--processes", "2", "--json", "--dashboard", "127.0.0.1:0"]);
        var stderr = demo.StandardError.ReadToEndAsync();
        var stdout = demo.StandardOutput.ReadToEndAsync();
        try
        {
            // It exits by itself once the demo is over: the dashboard's web server does not keep the process alive.
            Assert.True(demo.WaitForExit(TimeSpan.FromSeconds(90)), "the demo did not finish in 90 s");
            Assert.True(demo.ExitCode == 0, $"exit code {demo.ExitCode}: {stderr.Result}");
        }
        finally { Processes.KillTree(demo); }

        var announced = stderr.Result.Split('\n').Where(l => l.StartsWith("dashboard: ", StringComparison.Ordinal)).ToList();
        Assert.Matches(@"^dashboard: http://127\.0\.0\.1:[1-9][0-9]*$", Assert.Single(announced).TrimEnd('\r'));
        DemoCommandTests.Methods(stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // the eight JSON lines, nothing else
    }

    [Fact]
    public void TheFinanceSampleTakesDashboardToo()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-dashboard-");
        try
        {
            using var sample = Binaries.Start(Binaries.ClusterPoolCli, ["sample", "finance", "--companies", "20", "--processes", "1", "--work-ms", "0",
                "--db", Path.Combine(folder.FullName, "results.db"), "--dashboard", "127.0.0.1:0"]);
            var stderr = sample.StandardError.ReadToEndAsync();
            var stdout = sample.StandardOutput.ReadToEndAsync();
            try
            {
                Assert.True(sample.WaitForExit(TimeSpan.FromSeconds(90)), "the sample did not finish in 90 s");
                Assert.True(sample.ExitCode == 0, $"exit code {sample.ExitCode}: {stderr.Result}");
            }
            finally { Processes.KillTree(sample); }
            Assert.Matches(@"(^|\n)dashboard: http://127\.0\.0\.1:[1-9][0-9]*\r?\n", stderr.Result);
            Assert.Contains("20 companies analysed", stdout.Result);
        }
        finally { folder.Delete(recursive: true); }
    }

    private static (DashboardPage Page, long Low, long High) ReadBetween(Pool pool, string url)
    {
        var low = pool.Statistics.ItemsDone;
        var page = DashboardPage.Read(url);
        var high = pool.Statistics.ItemsDone;
        Assert.True(page.Loaded, $"the page never drew a state:\n{page.Html}");
        return (page, low, high);
    }
}
