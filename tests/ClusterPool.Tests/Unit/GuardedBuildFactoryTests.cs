using System.Collections.Concurrent;
using ClusterPool.Contracts.Serialization;
using Hyperion;
using Hyperion.SerializerFactories;
using Hyperion.ValueSerializers;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// A serializer factory whose build throws refuses its type each time, naming what failed; without the guard, the
/// first value failed and the next of its type waited for ever for the unfinished serializer the build left behind.
/// </summary>
public class GuardedBuildFactoryTests
{
    [Fact]
    public void AFailedBuildRefusesItsTypeEachTimeInsteadOfHangingOnTheNextValue()
    {
        var hyperion = new Serializer(new SerializerOptions(versionTolerance: false, preserveObjectReferences: true,
            surrogates: null, serializerFactories: GuardedBuildFactory.All([new FailingBuildFactory()]), knownTypes: null,
            ignoreISerializable: true, packageNameOverrides: null, disallowUnsafeTypes: true,
            typeFilter: AllowedTypes.Instance));
        for (var i = 0; i < 2; i++)
        {
            var writing = Task.Run(() => hyperion.Serialize(new Quote("AAPL", 1.5m), new MemoryStream()));
            Assert.True(Task.WhenAny(writing, Task.Delay(TimeSpan.FromSeconds(10))).Result == writing,
                $"value {i} was not written within 10 s");
            var refused = Assert.IsType<RefusedTypeException>(writing.Exception!.GetBaseException());
            Assert.Equal("type ClusterPool.Tests.Unit.GuardedBuildFactoryTests+Quote cannot cross between processes: " +
                "its serializer could not be made (InvalidOperationException: no serializer for quotes here); send " +
                "its data in a plain class or record instead", refused.Message);
        }
    }

    [Fact]
    public void HyperionsOwnFactoriesAreGuardedToo() => Assert.True(GuardedBuildFactory.GuardsHyperionsOwn);

    /// <summary>A value of the test's.</summary>
    public sealed record Quote(string Ticker, decimal Price);

    /// <summary>Does what Hyperion's factories do, then fails: puts an unfinished serializer in the type's place and
    /// throws while building it.</summary>
    private sealed class FailingBuildFactory : ValueSerializerFactory
    {
        public override bool CanSerialize(Serializer serializer, Type type) => type == typeof(Quote);

        public override bool CanDeserialize(Serializer serializer, Type type) => type == typeof(Quote);

        public override ValueSerializer BuildSerializer(
            Serializer serializer, Type type, ConcurrentDictionary<Type, ValueSerializer> typeMapping)
        {
            typeMapping.TryAdd(type, new ObjectSerializer(type));
            throw new InvalidOperationException("no serializer for quotes here");
        }
    }
}
