using System.Diagnostics;
using ClusterPool.Contracts.Security;
using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// A secure cluster on loopback, with real worker hosts: every connection mutually authenticated TLS; a host with another
/// cluster's certificate, an expired one or none cannot join and exits within 15 s naming the cause; the pool logs the
/// refused address once; the refusals also across a network namespace.
/// </summary>
public sealed class TlsTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Year = TimeSpan.FromDays(365);
    private readonly string _folder = Directory.CreateTempSubdirectory("clusterpool-tls-").FullName;

    private string Certificates(string name) => ClusterCertificates.WriteNew(Path.Combine(_folder, name), name, Year, null);

    [Fact]
    public void ATlsClusterRunsAMapWithHandStartedAndLocalWorkersAndLogsNothing()
    {
        var node = Certificates("ours");
        var log = new RecordingLogger();
        var port = LoopbackPort.Free();
        using (var pool = Pool.Start(new PoolOptions { ListenAddress = $"127.0.0.1:{port}", Processes = 2, LocalWorkers = 1, Certificate = node, LoggerFactory = log.Factory() }))
        {
            using var host = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--cert", node]);
            var said = host.StandardError.ReadToEndAsync();
            try
            {
                Assert.True(pool.WaitUntilReady(Patience, slots: 2), $"only {pool.Slots} of 2 slots registered over TLS");
                var ran = pool.Map(TestFunctions.Sleep, Enumerable.Repeat(0.05, 20), chunksize: 1);
                Assert.Equal(2, ran.Select(r => r.Pid).Distinct().Count()); // the local worker and the hand-started host both ran items
                Assert.Equal(Enumerable.Range(0, 40).Select(x => x * x), pool.Map(TestFunctions.Square, Enumerable.Range(0, 40)));
                pool.Close();
                pool.Join();
                Assert.True(host.WaitForExit(TimeSpan.FromSeconds(30)));
            }
            finally { Processes.KillTree(host); }
            var lines = said.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 2, string.Join("\n", lines));
            Assert.StartsWith("clusterpool worker: joined the pool", lines[0]);
        }
        Assert.True(log.Warnings().Count == 0, string.Join("\n", log.Warnings()));
    }

    public static TheoryData<string> Strangers => ["another cluster's", "an expired", "no"];

    [Theory]
    [MemberData(nameof(Strangers))]
    public void AHostWithTheWrongCertificateCannotJoinAndExitsSoonSayingWhy(string which) => Refused(which, "127.0.0.1", wrapper: null);

    /// <summary>The same across a network: the pool on the host's side of a veth pair, the worker host in a namespace of its own.</summary>
    [NetnsTheory]
    [MemberData(nameof(Strangers))]
    public void AcrossANetworkAHostWithTheWrongCertificateCannotJoinAndExitsSoonSayingWhy(string which)
    {
        using var other = new ClusterPool.Bench.NetworkNamespace();
        Refused(which, other.HostAddress, other.Exec);
    }

    /// <summary>A pool with an expired certificate is refused at Pool.Start: every worker would refuse it, and its
    /// calls would wait for ever, saying nothing.</summary>
    [Fact]
    public void APoolWithAnExpiredCertificateIsRefusedAtStartSayingWhy()
    {
        var expired = Expired(Certificates("ours"));
        var error = Assert.Throws<ClusterCertificateException>(() => Pool.Start(new PoolOptions
        {
            ListenAddress = $"127.0.0.1:{LoopbackPort.Free()}", Processes = 1, Certificate = expired,
        }));
        Assert.Contains("the pool's certificate CN=ClusterPool node", error.Message);
        Assert.Contains("is not valid now", error.Message);
        Assert.Contains(expired, error.Message);
    }

    [Fact]
    public void AHostWithACertificateTellsAPoolWithoutTlsApart() => RefusedByAPlainTextPool("127.0.0.1", wrapper: null);

    [NetnsFact]
    public void AcrossANetworkAHostWithACertificateTellsAPoolWithoutTlsApart()
    {
        using var other = new ClusterPool.Bench.NetworkNamespace();
        RefusedByAPlainTextPool(other.HostAddress, other.Exec);
    }

    private void Refused(string which, string listenHost, string[]? wrapper)
    {
        var node = Certificates("ours");
        string[] certificate = which switch
        {
            "another cluster's" => ["--cert", Certificates("theirs")],
            "an expired" => ["--cert", Expired(node)],
            _ => [],
        };
        var log = new RecordingLogger();
        var port = LoopbackPort.Free();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"{listenHost}:{port}", Processes = 1, Certificate = node, LoggerFactory = log.Factory() });
        using var host = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly, .. certificate], wrapper);
        var said = host.StandardError.ReadToEndAsync();
        try
        {
            Assert.True(host.WaitForExit(TimeSpan.FromSeconds(15)), $"a host with {which} certificate did not exit within 15 s");
            Assert.Equal(77, host.ExitCode);
        }
        finally { Processes.KillTree(host); }
        Assert.Equal(0, pool.Slots);
        var text = said.Result;
        Assert.Contains(which switch
        {
            "another cluster's" => "the pool refused this host's certificate",
            "an expired" => "is not valid now",
            _ => "requires TLS",
        }, text);
        Assert.Contains("clusterpool worker: exiting: ", text); // and why, once
        // The pool says it refused the address at most once per kind of failure, never a line per retry. Every retry
        // was made before the host exited; the pool's line about them is there (its log is written as it refuses).
        // A host with an expired certificate refuses it itself and never connects: the pool has nothing to say.
        if (which != "an expired")
            Wait.For(() => log.Warnings().Any(w => w.Contains("refused", StringComparison.Ordinal)),
                what: "the pool's line about the refused host");
        Assert.True(log.Warnings().Count <= 2, string.Join("\n", log.Warnings()));
    }

    private void RefusedByAPlainTextPool(string listenHost, string[]? wrapper)
    {
        var port = LoopbackPort.Free();
        var log = new RecordingLogger();
        using var pool = Pool.Start(new PoolOptions { ListenAddress = $"{listenHost}:{port}", Processes = 1, InsecurePlaintextOnTrustedNetwork = listenHost != "127.0.0.1", LoggerFactory = log.Factory() });
        using var host = Binaries.Start(Binaries.Worker, ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--cert", Certificates("ours")], wrapper);
        var said = host.StandardError.ReadToEndAsync();
        try { Assert.True(host.WaitForExit(TimeSpan.FromSeconds(15)), "the host did not exit within 15 s"); }
        finally { Processes.KillTree(host); }
        Assert.Equal(77, host.ExitCode);
        Assert.Contains("does not speak TLS", said.Result);
        Assert.Equal(0, pool.Slots);
        // The host's TLS handshakes on the pool's plain-text port: one line, not an error with DotNetty's stack trace
        // (TooLongFrameException) per attempt.
        Wait.For(() => log.Warnings().Any(w => w.Contains("bytes of another protocol", StringComparison.Ordinal)),
            what: "the pool's line about the host's TLS handshake");
        Assert.DoesNotContain(log.Records, r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.Single(log.Warnings(), w => w.Contains("another protocol", StringComparison.Ordinal));
    }

    [Fact]
    public void CertNewWritesTheFilesAndCertShowSaysWhatTheyAreWithoutAKey()
    {
        var output = Path.Combine(_folder, "cli");
        var (code, stdout, _) = Cli(["cert", "new", "--out", output, "--name", "desk"]);
        Assert.Equal(0, code);
        Assert.Contains("node.pfx", stdout);
        (code, stdout, _) = Cli(["cert", "show", Path.Combine(output, "node.pfx")]);
        Assert.Equal(0, code);
        Assert.Contains("node certificate: CN=ClusterPool node desk", stdout);
        Assert.Contains("issued by:   CN=ClusterPool cluster CA desk", stdout);
        Assert.Contains("private key: in this file (not shown)", stdout);
        Assert.Contains("certificate authority: CN=ClusterPool cluster CA desk", stdout);
        // what a refusal names to tell two authorities of one name apart: the authority's key id, the node's issuer's
        var loaded = ClusterCertificates.LoadNode(Path.Combine(output, "node.pfx"), null);
        Assert.Contains($"key id:      {CertificateKeyIds.OwnKey(loaded.Authority)}", stdout);
        Assert.Contains($"issuer key:  {CertificateKeyIds.OwnKey(loaded.Authority)}", stdout);
        Assert.DoesNotContain("PRIVATE KEY", stdout);
        var (keyCode, keyOut, keyErr) = Cli(["cert", "show", Path.Combine(output, "cluster-ca.key")]);
        Assert.Equal(2, keyCode);
        Assert.DoesNotContain("BEGIN", keyOut + keyErr); // a private key is never printed
        Assert.Equal(1, Cli(["cert", "new", "--out", output]).Code); // never overwritten
    }

    private string Expired(string node)
    {
        var ours = ClusterCertificates.LoadNode(node, null);
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "expired")).FullName;
        // Signed by our own authority, so only its dates are wrong: that authority's key is in cluster-ca.key.
        using var authority = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
            Path.Combine(Path.GetDirectoryName(node)!, ClusterCertificates.AuthorityFile), Path.Combine(Path.GetDirectoryName(node)!, ClusterCertificates.AuthorityKeyFile));
        using var expired = ClusterCertificates.IssueNode(authority, "ours", new DateTimeOffset(authority.NotBefore), new DateTimeOffset(authority.NotBefore).AddMinutes(1)) /* expired 4 minutes ago */;
        var file = Path.Combine(folder, "node.pfx");
        File.WriteAllBytes(file, new System.Security.Cryptography.X509Certificates.X509Certificate2Collection { expired, ours.Authority }
            .Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12)!);
        return file;
    }

    private static (int Code, string Stdout, string Stderr) Cli(string[] args)
    {
        using var process = Binaries.Start(Binaries.ClusterPoolCli, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try { Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60))); }
        finally { Processes.KillTree(process); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
