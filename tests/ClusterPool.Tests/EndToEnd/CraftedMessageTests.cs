using System.Text;
using Akka.Actor;
using ClusterPool.Bench;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Security;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Calls;
using ClusterPool.Tests.Unit;
using ClusterPool.Workers;
using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>
/// Issue 12, point 5, across a network: a node holding the cluster's certificate (stolen, or a compromised machine)
/// sends crafted messages to the pool and to a worker host in another network namespace while a Map runs. Each is
/// refused, naming the type or the function, on the side that received it; the Map's results are all there and right.
/// </summary>
public class CraftedMessageTests
{
    [NetnsFact]
    public void ANodeWithTheCertificateCannotSmuggleGadgetsOrDotNetCallsAndTheMapGoesOn()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-crafted-").FullName;
        var pwned = Path.Combine(folder, "pwned.txt");
        var other = new NetworkNamespace();
        using (other)
        {
            var node = ClusterCertificates.WriteNew(Path.Combine(folder, "certs"), "crafted", TimeSpan.FromDays(1), null);
            var log = new RecordingLogger();
            var poolPort = LoopbackPort.Free();
            var workerPort = LoopbackPort.Free();
            using var pool = Pool.Start(new PoolOptions { ListenAddress = $"{other.HostAddress}:{poolPort}", Processes = 2, Certificate = node, LoggerFactory = log.Factory() });
            using var host = Binaries.Start(Binaries.Worker,
                ["--join", pool.Address, "--app", Binaries.TestsAssembly, "--slots", "2", "--port", workerPort.ToString(), "--cert", node], other.Exec);
            var hostSaid = new StringBuilder();
            using var welcomed = new ManualResetEventSlim();
            host.ErrorDataReceived += (_, line) =>
            {
                lock (hostSaid) hostSaid.AppendLine(line.Data);
                if (line.Data?.Contains("joined the pool", StringComparison.Ordinal) == true) welcomed.Set();
            };
            host.BeginErrorReadLine();
            try
            {
                Assert.True(pool.WaitUntilReady(TimeSpan.FromSeconds(60), slots: 2), "the namespaced worker never registered");
                // The host says it joined once its slots pull work: from then on, what reaches a slot is read.
                Assert.True(welcomed.Wait(TimeSpan.FromSeconds(30)), "the host never said it joined");
                // 40 tasks of 50 ms on 2 slots, held at a gate until every crafted message is sent: however slow the
                // rogue node's start, they arrive while the Map runs.
                var gate = Path.Combine(folder, "gate");
                var map = pool.MapAsync(TestFunctions.GatedSleep, Enumerable.Repeat((gate, 0.05), 40), chunksize: 1);

                using (var rogue = Rogue(node, other.HostAddress))
                {
                    var poolActor = rogue.ActorSelection($"akka.ssl.tcp://{PoolConfig.SystemName}@{pool.Address}/user/pool")
                        .ResolveOne(TimeSpan.FromSeconds(20)).Result;
                    var workerHost = rogue.ActorSelection($"akka.ssl.tcp://{PoolConfig.SystemName}@{other.Address}:{workerPort}/user/worker")
                        .ResolveOne(TimeSpan.FromSeconds(20)).Result;
                    var intruder = rogue.ActorOf(Props.Empty, "intruder");
                    var slot = rogue.ActorSelection($"akka.ssl.tcp://{PoolConfig.SystemName}@{other.Address}:{workerPort}/user/worker/slot-0");

                    // 1. Wire messages naming a type from an unknown assembly, and a delegate bound to File.WriteAllText,
                    //    sent to an actor and through a selection (which wraps the message in one of Akka's own).
                    rogue.ActorSelection(poolActor.Path).Tell(new Gadgets.Holder { Inside = Gadgets.Foreign("ClusterPool.Gadgets.Selected") });
                    poolActor.Tell(new Gadgets.Holder { Inside = Gadgets.Foreign("ClusterPool.Gadgets.ToThePool") });
                    workerHost.Tell(new Gadgets.Holder { Inside = Gadgets.Foreign("ClusterPool.Gadgets.ToTheWorker") });
                    poolActor.Tell(new Gadgets.Holder { Inside = Gadgets.WriteFile });

                    // 2. Work that claims to come from the pool (a forged sender): a payload with a foreign type, and a call
                    //    of a .NET method that would write a file.
                    var square = FunctionReference.From(new Func<int, int>(TestFunctions.Square));
                    var smuggled = Gadgets.Payload(new[] { new object?[] { new Gadgets.Holder { Inside = Gadgets.Foreign("ClusterPool.Gadgets.InAChunk") } } });
                    slot.Tell(new WorkBatch([new Chunk(9_001, 1, 0, 1, square, smuggled)]), poolActor);
                    var writeAllText = typeof(File).GetMethod(nameof(File.WriteAllText), [typeof(string), typeof(string)])!;
                    var dotnetCall = new FunctionRef(typeof(File).Assembly.FullName!, typeof(File).FullName!, writeAllText.Name,
                        [typeof(string).AssemblyQualifiedName!, typeof(string).AssemblyQualifiedName!], typeof(File).Assembly.ManifestModule.ModuleVersionId, null, false);
                    slot.Tell(new WorkBatch([new Chunk(9_002, 1, 0, 1, dotnetCall, PayloadSerializer.Serialize(new[] { new object?[] { pwned, "pwned" } }, "test"))]), poolActor);

                    // 3. Work from a sender that is not the pool at all.
                    slot.Tell(new WorkBatch([new Chunk(9_003, 1, 0, 1, square, PayloadSerializer.Serialize(new[] { 5 }, "test"), OneArgument: true)]), intruder);

                    Assert.False(map.Ready, "the Map ended before the crafted messages were sent: nothing shows it went on");
                    File.WriteAllText(gate, "");
                    var results = map.Get(TimeSpan.FromSeconds(120));
                    Assert.Equal(40, results.Count);
                    Assert.All(results, r => Assert.Equal(0.05, r.Seconds));
                    // Every crafted message has been refused, on both sides (and so delivered: the rogue system stops
                    // next). The checks below then read what was said.
                    Wait.For(() => RefusalsSeen(log, hostSaid), TimeSpan.FromSeconds(30), "every refusal to be logged");
                }
                pool.Close();
                pool.Join();
                Assert.True(host.WaitForExit(TimeSpan.FromSeconds(30)), "the worker host did not leave with its pool");
                host.WaitForExit(); // and everything it wrote on stderr has been read
            }
            finally { Processes.KillTree(host); }

            var poolWarnings = string.Join("\n", log.Warnings());
            var rogueAddress = $"akka.ssl.tcp://{PoolConfig.SystemName}@{other.HostAddress}:";
            Said($"refused a message from {rogueAddress}", poolWarnings);
            Said("type Gadget from assembly ClusterPool.Gadgets.ToThePool is not part of this application", poolWarnings);
            Said("type Gadget from assembly ClusterPool.Gadgets.Selected is not part of this application", poolWarnings);
            Said("type System.Action<System.String, System.String> is code (a delegate), not data", poolWarnings);
            string workerSaid;
            lock (hostSaid) workerSaid = hostSaid.ToString();
            Said($"refused a message from {rogueAddress}", workerSaid);
            Said("type Gadget from assembly ClusterPool.Gadgets.ToTheWorker", workerSaid);
            Said("refused work of call 9001: the arguments of ", workerSaid);
            Said("type Gadget from assembly ClusterPool.Gadgets.InAChunk is not part of this application", workerSaid);
            Said("refused work of call 9002: System.IO.File.WriteAllText is a .NET method", workerSaid);
            Said($"ignored work sent by {rogueAddress}", workerSaid);
            Said("/user/intruder, which is not this worker's pool", workerSaid);
            Assert.False(File.Exists(pwned), "a .NET method named in a crafted chunk ran on the worker");
        }
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>The last line each crafted message makes its receiver say is there.</summary>
    private static bool RefusalsSeen(RecordingLogger log, StringBuilder hostSaid)
    {
        string[] pool = ["ClusterPool.Gadgets.ToThePool", "ClusterPool.Gadgets.Selected",
            "System.Action<System.String"];
        string[] host = ["ClusterPool.Gadgets.ToTheWorker", "refused work of call 9001", "refused work of call 9002",
            "ignored work sent by"];
        var poolSaid = string.Join("\n", log.Warnings());
        string workerSaid;
        lock (hostSaid) workerSaid = hostSaid.ToString();
        return pool.All(line => poolSaid.Contains(line, StringComparison.Ordinal)) &&
               host.All(line => workerSaid.Contains(line, StringComparison.Ordinal));
    }

    private static void Said(string expected, string output) =>
        Assert.True(output.Contains(expected, StringComparison.Ordinal), $"not said: {expected}\n--- what was said:\n{output}");

    /// <summary>An actor system holding the cluster's node certificate, as a stolen copy would, that never joins the cluster.</summary>
    private static ActorSystem Rogue(string certificate, string address)
    {
        var node = ClusterCertificates.LoadNode(certificate, null);
        var config = ClusterTls.Enable(PoolConfig.Build(NodeRole.Worker, null, address, 0, clusterMember: false));
        return ActorSystem.Create(PoolConfig.SystemName, BootstrapSetup.Create().WithConfig(config).And(ClusterTls.Setup(node, (_, _) => { })));
    }
}
