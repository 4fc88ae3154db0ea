using Akka.Actor;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// Only types of .NET, ClusterPool and the application (with its dependencies) are read from another process; a crafted
/// payload or wire message holding anything else is refused unread, naming the type (issue 12, point 5).
/// </summary>
public class AllowedTypesTests
{
    [Fact]
    public void APayloadNamingATypeFromAnUnknownAssemblyIsRefusedNamingTypeAndAssembly()
    {
        var crafted = Gadgets.Payload(new object?[] { 1, Gadgets.Foreign("ClusterPool.Gadgets.Unknown") });
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Deserialize<object?[]>(crafted, "the arguments of F"));
        Assert.True(error.TypeRefused);
        Assert.Contains("the arguments of F could not be read back: type Gadget from assembly ClusterPool.Gadgets.Unknown is not part of this application", error.Message);
    }

    /// <summary>A tuple of 15 or 20 elements (a ValueTuple of 8 whose last holds the rest) crosses: its name has more
    /// parts than .NET's default bound for parsing one, and the receiver refused what the sender had sent.</summary>
    [Fact]
    public void ALongTupleCrosses()
    {
        var fifteen = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, "fifteen");
        var back = PayloadSerializer.Deserialize<object>(PayloadSerializer.Serialize(fifteen, "test"), "test");
        Assert.Equal(fifteen, back);
        var twenty = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20.5m);
        Assert.Equal(twenty, PayloadSerializer.Deserialize<object>(PayloadSerializer.Serialize(twenty, "test"), "test"));
    }

    [Fact]
    public void AForeignTypeHiddenInAGenericArgumentOrAnObjectFieldIsRefusedToo()
    {
        var foreign = Gadgets.Foreign("ClusterPool.Gadgets.Hidden");
        var list = Activator.CreateInstance(typeof(List<>).MakeGenericType(foreign.GetType()))!;
        foreach (var crafted in new[] { Gadgets.Payload(list), Gadgets.Payload(new Gadgets.Holder { Inside = foreign }) })
        {
            var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Deserialize<object>(crafted, "the result"));
            Assert.True(error.TypeRefused);
            Assert.Contains("assembly ClusterPool.Gadgets.Hidden", error.Message);
        }
    }

    /// <summary>The delegate a user sends most often without knowing: inside a lazy LINQ sequence passed as an
    /// argument. The message says what to send instead.</summary>
    [Fact]
    public void ALazySequenceAsAnArgumentIsRefusedSayingToSendItsItems()
    {
        var lazy = Enumerable.Range(0, 3).Select(x => x * 2);
        var error = Assert.Throws<PayloadSerializationException>(() =>
            PayloadSerializer.Serialize(new object?[] { lazy }, "the arguments of F"));
        Assert.Contains("a lazy sequence holds one (LINQ's Select or Where, an iterator method): send its items " +
            "instead, with .ToList() or .ToArray()", error.Message);
        PayloadSerializer.Serialize(new object?[] { lazy.ToList() }, "the arguments of F"); // as it says
    }

    /// <summary>
    /// A type that declares an event (or a Func field, or an optional stream) crosses while it holds none, as Python
    /// pickles an object whose attribute is None; a subscribed handler is refused, saying what to do. Before, the
    /// declaration alone refused every such object.
    /// </summary>
    [Fact]
    public void AnObjectWithAnEventCrossesWithoutSubscribersAndIsRefusedWithOne()
    {
        var quiet = new Observed { Price = 2.5 };
        Assert.Equal(2.5, PayloadSerializer.Deserialize<Observed>(PayloadSerializer.Serialize(quiet, "the arguments"), "the arguments").Price);
        var subscribed = new Observed();
        subscribed.Changed += (_, _) => { };
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(subscribed, "the arguments of F"));
        Assert.Contains("type System.EventHandler is code (a delegate), not data", error.Message);
        Assert.Contains("an object's event or Func field does: leave it null", error.Message);
        // a type of .NET's that is live state whatever its fields hold is still refused
        error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new ManualResetEventSlim(), "the arguments"));
        Assert.Contains("System.Threading.ManualResetEventSlim is code or live process state", error.Message);
    }

    /// <summary>A model as .NET code writes one: an event, and a field for an optional log stream.</summary>
    public sealed class Observed
    {
        public event EventHandler? Changed;
        public Stream? Log;
        public double Price;
        public void Touch() => Changed?.Invoke(this, EventArgs.Empty);
    }

    [Fact]
    public void ADelegateBoundToADotNetMethodIsRefusedAsCodeNotData()
    {
        var crafted = Gadgets.Payload(new Gadgets.Holder { Inside = Gadgets.WriteFile });
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Deserialize<object>(crafted, "the result"));
        Assert.True(error.TypeRefused);
        Assert.Contains("type System.Action<System.String, System.String> is code", error.Message);
        Assert.Contains("is code (a delegate), not data", error.Message);
    }

    [Fact]
    public void ADotNetTypeOnHyperionsUnsafeListIsRefused()
    {
        var crafted = Gadgets.Payload(new Gadgets.Holder { Inside = new FileInfo("/tmp/x") });
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Deserialize<object>(crafted, "the result"));
        Assert.True(error.TypeRefused);
        Assert.Contains("System.IO.FileInfo", error.Message);
    }

    [Fact]
    public void TheApplicationsOwnTypesAndDotNetsDataTypesStillCross()
    {
        // The filter refuses gadgets, not data: the application's types inside .NET's generic collections still cross.
        var value = new object?[] { new Gadgets.Holder { Inside = new Dictionary<string, List<decimal>> { ["a"] = [1.5m] } }, (3, "x"), DateTimeOffset.UnixEpoch };
        var back = PayloadSerializer.Deserialize<object?[]>(PayloadSerializer.Serialize(value, "the arguments"), "the arguments");
        Assert.Equal(7, Assert.IsType<Gadgets.Holder>(back[0]).Id);
        Assert.Equal([1.5m], ((Dictionary<string, List<decimal>>)((Gadgets.Holder)back[0]!).Inside!)["a"]);
        Assert.Equal((3, "x"), back[1]);
    }

    [Fact]
    public void TheSenderLearnsFirst_AValueOfAForeignTypeCannotBeSent()
    {
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new object[] { Gadgets.Foreign("ClusterPool.Gadgets.Plugin") }, "the arguments"));
        Assert.Contains("the arguments cannot be sent to another process: type Gadget comes from assembly ClusterPool.Gadgets.Plugin", error.Message);
    }

    [Fact]
    public void AMadeUpOrUnparsableTypeNameIsRefused()
    {
        Assert.Throws<RefusedTypeException>(() => AllowedTypes.Instance.IsAllowed("Evil.Gadget, Evil.Assembly"));
        Assert.Throws<RefusedTypeException>(() => AllowedTypes.Instance.IsAllowed("System.Collections.Generic.List`1[[Evil.Gadget, Evil.Assembly]], System.Private.CoreLib,%core%"));
        Assert.Throws<RefusedTypeException>(() => AllowedTypes.Instance.IsAllowed("]]][[, ,"));
        Assert.True(AllowedTypes.Instance.IsAllowed("System.Collections.Generic.List`1[[System.Int32, System.Private.CoreLib,%core%]], System.Private.CoreLib,%core%"));
        Assert.True(AllowedTypes.Instance.IsAllowed(typeof(Gadgets.Holder).FullName + ", ClusterPool.Tests"));
    }

    [Fact]
    public void AnActorSystemStartsWithoutBuildingHyperionUntilAMessageNeedsIt()
    {
        // ~60 ms of each start (a pool's, each worker's) went to building it, on the way to the first result.
        using var system = ActorSystem.Create("wire", ClusterPool.Contracts.Configuration.PoolConfig.Build(
            ClusterPool.Contracts.Configuration.NodeRole.Worker, null, "127.0.0.1", 0, clusterMember: false));
        var wire = Assert.IsType<WireHyperionSerializer>(
            system.Serialization.FindSerializerForType(typeof(StopWorker)));
        Assert.False(wire.IsBuilt);
        var message = new StopWorker("the pool stops");
        Assert.Equal(message, wire.FromBinary(wire.ToBinary(message), typeof(object)));
        Assert.True(wire.IsBuilt);
    }

    [Fact]
    public void AWireMessageHoldingAGadgetIsRefusedByTheWireSerializerAndPlainMessagesStillCross()
    {
        using var system = ActorSystem.Create("wire");
        var wire = new WireHyperionSerializer((ExtendedActorSystem)system);
        var error = Assert.ThrowsAny<Exception>(() => wire.FromBinary(Gadgets.WireMessage(system, new Gadgets.Holder { Inside = Gadgets.Foreign("ClusterPool.Gadgets.Wire") }), typeof(object)));
        Assert.StartsWith("ClusterPool refused a message: type Gadget from assembly ClusterPool.Gadgets.Wire is not part of this application", error.Message);
        error = Assert.ThrowsAny<Exception>(() => wire.FromBinary(Gadgets.WireMessage(system, Gadgets.WriteFile), typeof(object)));
        Assert.Contains("is code (a delegate), not data", error.Message);

        var message = new RequestWork(3);
        Assert.Equal(message, wire.FromBinary(wire.ToBinary(message), typeof(object)));
    }

    [Fact]
    public void ADotNetMethodIsRefusedAsAFunctionWithWhatToWriteInstead()
    {
        var error = Assert.Throws<ArgumentException>(() => FunctionReference.From(new Func<double, double>(Math.Sqrt)));
        Assert.Contains("Math.Sqrt is a .NET method; workers run only your application's functions", error.Message);
        Assert.Contains("x => Math.Sqrt(x)", error.Message);
    }
}
