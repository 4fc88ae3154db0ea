using System.Reflection;
using System.Reflection.Emit;
using Hyperion;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// What an attacker would send: payloads written by a Hyperion with no type filter, holding types ClusterPool must not
/// read - a type from an assembly the receiver was not built with, a delegate bound to a .NET method, a .NET type on
/// Hyperion's unsafe list, a foreign type hidden in a generic argument.
/// </summary>
internal static class Gadgets
{
    // Written as PayloadSerializer writes (form byte 0, then Hyperion with the same options), but with nothing refused.
    private static readonly Serializer Unfiltered = new(new SerializerOptions(versionTolerance: false,
        preserveObjectReferences: true, surrogates: null, serializerFactories: null, knownTypes: null, ignoreISerializable: true,
        packageNameOverrides: null, disallowUnsafeTypes: false, typeFilter: DisabledTypeFilter.Instance));

    /// <summary>The bytes of <paramref name="value"/> as a payload a ClusterPool process would be handed.</summary>
    public static byte[] Payload(object value)
    {
        using var stream = new MemoryStream();
        stream.WriteByte(0);
        Unfiltered.Serialize(value, stream);
        return stream.ToArray();
    }

    /// <summary>The bytes of a wire message, as Akka's own Hyperion serializer (no type filter) writes it.</summary>
    public static byte[] WireMessage(Akka.Actor.ActorSystem system, object value) =>
        new Akka.Serialization.HyperionSerializer((Akka.Actor.ExtendedActorSystem)system, Akka.Serialization.HyperionSerializerSettings.Default).ToBinary(value);

    /// <summary>An object of a type from an assembly made on the spot: no receiver was built with it.</summary>
    public static object Foreign(string assemblyName = "ClusterPool.Gadgets.Unknown")
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(assemblyName), AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule(assemblyName).DefineType("Gadget", TypeAttributes.Public | TypeAttributes.Class);
        type.DefineField("Command", typeof(string), FieldAttributes.Public);
        var gadget = Activator.CreateInstance(type.CreateType())!;
        gadget.GetType().GetField("Command")!.SetValue(gadget, "touch /tmp/pwned");
        return gadget;
    }

    /// <summary>A delegate bound to a .NET method with an effect: a callable a receiver might call.</summary>
    public static Action<string, string> WriteFile => File.WriteAllText;

    /// <summary>A holder whose object field carries anything at all, as a gadget hides in plain data.</summary>
    public sealed class Holder
    {
        public int Id = 7;
        public object? Inside;
    }
}
