using System.Reflection;
using System.Text.Json;
using Akka.Actor;
using ClusterPool.Contracts;
using ClusterPool.Contracts.Configuration;
using ClusterPool.Contracts.Messages;
using ClusterPool.Contracts.Serialization;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// The hand-written wire form of the work messages: every field of every message comes back as it left (each set to a
/// value other than its default, so a field the serializer forgets fails here), and the pool's configuration binds
/// these messages to it.
/// </summary>
public sealed class WorkProtocolSerializerTests : IDisposable
{
    private static readonly Type[] WorkMessages =
        [typeof(Chunk), typeof(WorkBatch), typeof(HandBack), typeof(RequestWork), typeof(DropCall), typeof(DropChunk), typeof(ReclaimQueued), typeof(ChunkResult),
         typeof(ChunkResults), typeof(RegisterSlots), typeof(Welcome)];

    private readonly ActorSystem _system =
        ActorSystem.Create("serializer-test", PoolConfig.Build(NodeRole.Coordinator, null, "127.0.0.1", 0, clusterMember: false));

    public static TheoryData<string> Messages() => [.. WorkMessages.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Messages))]
    public void EveryFieldRoundTrips(string name)
    {
        var type = WorkMessages.Single(t => t.Name == name);
        var message = Sample(type, _system.ActorOf(Props.Empty, "slot"));
        var serializer = _system.Serialization.FindSerializerFor(message);
        Assert.IsType<WorkProtocolSerializer>(serializer);

        var manifest = ((WorkProtocolSerializer)serializer).Manifest(message);
        var back = ((WorkProtocolSerializer)serializer).FromBinary(serializer.ToBinary(message), manifest);
        Assert.IsType(type, back);
        Assert.Equal(Json(message), Json(back));
    }

    /// <summary>A message whose payloads pass a megabyte is measured, then written into an array of its exact size
    /// (not through the per-thread buffer): every field still comes back, and not a byte more is sent.</summary>
    [Theory]
    [MemberData(nameof(Messages))]
    public void EveryFieldRoundTripsWithPayloadsOfMegabytes(string name)
    {
        var type = WorkMessages.Single(t => t.Name == name);
        var serializer = new WorkProtocolSerializer((ExtendedActorSystem)_system);
        var slot = _system.ActorOf(Props.Empty, "slot");
        var small = Sample(type, slot, payloadBytes: 4);
        var big = Sample(type, slot, payloadBytes: 1_500_000);

        var bytes = serializer.ToBinary(big);
        Assert.Equal(Json(big), Json(serializer.FromBinary(bytes, serializer.Manifest(big))));
        // The same message with 4-byte payloads, plus what its bigger payloads add: nothing is padded.
        Assert.Equal(serializer.ToBinary(small).Length + PayloadCount(big) * (1_500_000 - 4), bytes.Length);
    }

    [Fact]
    public void ANullPayloadAndNoErrorRoundTrip()
    {
        var serializer = new WorkProtocolSerializer((ExtendedActorSystem)_system);
        var result = new ChunkResult(1, 2, 0, 0, null, null, true, 0);
        var back = (ChunkResult)serializer.FromBinary(serializer.ToBinary(result), serializer.Manifest(result));
        Assert.Null(back.Payload);
        Assert.Null(back.Error);
    }

    [Fact]
    public void ARegistrationOfAnotherProtocolVersionIsRefusedSayingSo()
    {
        var serializer = new WorkProtocolSerializer((ExtendedActorSystem)_system);
        var register = new RegisterSlots("host", 42, [], [], Embedded: true);
        var bytes = serializer.ToBinary(register);
        bytes[0] = 99; // the version a later ClusterPool might speak
        var error = Assert.ThrowsAny<Exception>(() => serializer.FromBinary(bytes, serializer.Manifest(register)));
        Assert.Contains("version 99", error.Message);
        Assert.Contains("same ClusterPool version", error.Message);
    }

    [Fact]
    public void AnUnknownManifestNamesItself()
    {
        var serializer = new WorkProtocolSerializer((ExtendedActorSystem)_system);
        var error = Assert.ThrowsAny<Exception>(() => serializer.FromBinary([0], "ZZ"));
        Assert.Contains("ZZ", error.Message);
    }

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(5));

    private static string Json(object value) =>
        JsonSerializer.Serialize(value, value.GetType(), new JsonSerializerOptions { IncludeFields = true, Converters = { new ActorRefAsPath() } });

    /// <summary>An actor reference compares by its full path.</summary>
    private sealed class ActorRefAsPath : System.Text.Json.Serialization.JsonConverter<IActorRef>
    {
        public override IActorRef Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, IActorRef value, JsonSerializerOptions options) => writer.WriteStringValue(value.Path.ToSerializationFormat());
    }

    /// <summary>How many byte arrays <paramref name="value"/> (a message) holds, however deep.</summary>
    private static int PayloadCount(object? value) => value switch
    {
        byte[] => 1,
        null or string or IActorRef => 0,
        Array array => array.Cast<object?>().Sum(PayloadCount),
        _ when value.GetType().Namespace == typeof(Chunk).Namespace => value.GetType()
            .GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract")
            .Sum(p => PayloadCount(p.GetValue(value))),
        _ => 0,
    };

    /// <summary>
    /// An instance of a record with every constructor parameter set to a value that is not its type's default
    /// (<paramref name="actor"/> for actor references).
    /// </summary>
    private static object Sample(Type type, IActorRef actor, int payloadBytes = 4)
    {
        if (type == typeof(IActorRef)) return actor;
        if (type == typeof(string)) return "text \uD800 ünïcode";
        if (type == typeof(long)) return 1234567890123L;
        if (type == typeof(int)) return 42;
        if (type == typeof(bool)) return true;
        if (type == typeof(double)) return 1.25;
        if (type == typeof(TimeSpan)) return TimeSpan.FromSeconds(7.5);
        if (type == typeof(Guid)) return Guid.NewGuid();
        if (type == typeof(byte[])) return Enumerable.Range(0, payloadBytes).Select(i => (byte)(i * 7 + 1)).ToArray();
        if (type.IsEnum) return Enum.GetValues(type).Cast<object>().Last();
        if (type.IsArray)
        {
            var array = Array.CreateInstance(type.GetElementType()!, 2);
            for (var i = 0; i < 2; i++) array.SetValue(Sample(type.GetElementType()!, actor, payloadBytes), i);
            return array;
        }
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance).OrderByDescending(c => c.GetParameters().Length).First();
        return constructor.Invoke([.. constructor.GetParameters().Select(p => Sample(Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType, actor,
            payloadBytes))]);
    }
}
