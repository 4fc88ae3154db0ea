using Hyperion;
using Hyperion.SerializerFactories;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Turns task arguments and results into bytes and back with Hyperion, so that every payload is sized before it is
/// sent. Types that hold live process state (delegates, streams, threads, tasks, handles) are refused with an error
/// that names the type, rather than sent as a husk that would fail strangely on the other side. Arrays of primitive
/// values skip Hyperion (<see cref="PrimitiveArrays"/>); the first byte of every payload says which form follows.
/// </summary>
internal static class PayloadSerializer
{
    private const byte HyperionForm = 0, RawArrayForm = 1;

    // Shared and cyclic objects arrive shared and cyclic.
    private const bool PreserveReferences = true;

    // Hyperion's own list of unsafe types (disallowUnsafeTypes), and ClusterPool's: only the types AllowedTypes
    // accepts are read, and every type name a payload holds is judged before anything is loaded.
    private static readonly Serializer Hyperion = Create(nestedArraysRaw: true);

    // The form argument hashes are taken in (ArgumentBytes): the one checkpoints written before nested arrays went raw
    // hold, so that a run resumed after an upgrade finds its items done.
    private static readonly Serializer HashForm = Create(nestedArraysRaw: false);

    private static Serializer Create(bool nestedArraysRaw) => new(new SerializerOptions(
        versionTolerance: false,
        preserveObjectReferences: PreserveReferences,
        surrogates: null,
        serializerFactories: [new RefuseLiveStateFactory(), new ComparerCollectionsFactory(PreserveReferences),
            new ImmutableElementArraysFactory(PreserveReferences), .. NestedArrays(nestedArraysRaw),
            new ExceptionFieldsFactory(PreserveReferences), new Sharing.SharedHandleFactory(PreserveReferences)],
        knownTypes: null,
        ignoreISerializable: true,
        packageNameOverrides: null,
        disallowUnsafeTypes: true,
        typeFilter: AllowedTypes.Instance));

    private static ValueSerializerFactory[] NestedArrays(bool raw) =>
        raw ? [new NestedPrimitiveArraysFactory(PreserveReferences)] : [];

    /// <summary>True once strings travel exactly (<see cref="ExactStrings"/>); a test checks it stays so.</summary>
    public static bool StringsExact { get; } = ExactStrings.Install(Hyperion) && ExactStrings.Install(HashForm);

    /// <summary>Serializes <paramref name="value"/>; throws <see cref="PayloadSerializationException"/> naming the type
    /// that cannot cross.</summary>
    public static byte[] Serialize(object? value, string what) => Serialize(value, what, Hyperion);

    /// <summary>
    /// <paramref name="arguments"/> as bytes to hash (a checkpoint's argument hash), in the form they were hashed in
    /// before arrays of primitives inside a payload travelled raw: the same arguments give the same bytes in every
    /// version. Never sent.
    /// </summary>
    public static byte[] ArgumentBytes(object? arguments) => Serialize(arguments, "the arguments", HashForm);

    private static byte[] Serialize(object? value, string what, Serializer hyperion)
    {
        try
        {
            if (PrimitiveArrays.TryWrite(value, RawArrayForm) is { } raw) return raw;
            return DeepPayloads.Write(() =>
            {
                using var stream = new DeepPayloads.GuardedStream();
                stream.WriteByte(HyperionForm);
                hyperion.Serialize(value, stream);
                return stream.ToArray();
            });
        }
        catch (Exception e)
        {
            throw new PayloadSerializationException(
                $"{what} cannot be sent to another process: {Describe(e)}", e);
        }
    }

    /// <summary>Reads back what <see cref="Serialize(object?, string)"/> wrote; throws
    /// <see cref="PayloadSerializationException"/> naming the cause.</summary>
    public static T Deserialize<T>(byte[] bytes, string what)
    {
        try
        {
            switch (bytes.Length == 0 ? -1 : bytes[0])
            {
                case RawArrayForm:
                    return (T)(object)PrimitiveArrays.Read(bytes);
                case HyperionForm:
                    return DeepPayloads.Read(bytes.Length, () =>
                    {
                        using var stream = new MemoryStream(bytes, 1, bytes.Length - 1, writable: false);
                        return Hyperion.Deserialize<T>(stream);
                    });
                default:
                    throw new InvalidDataException(bytes.Length == 0 ? "the payload is empty"
                        : $"the payload's form {bytes[0]} is unknown (another ClusterPool version?)");
            }
        }
        catch (Exception e)
        {
            throw new PayloadSerializationException($"{what} could not be read back: {Describe(e)}",
                e) { TypeRefused = IsRefusal(e) };
        }
    }

    // Hyperion wraps what its type filter throws (more than once, for a type deep inside): the refusal is the cause.
    internal static Exception? Refusal(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
            if (cause is RefusedTypeException or global::Hyperion.Internal.EvilDeserializationException) return cause;
        return null;
    }

    private static bool IsRefusal(Exception e) => Refusal(e) is not null;

    private static string Describe(Exception e) => Refusal(e) is { } refusal ? Why(refusal)
        : e is InsufficientExecutionStackException ? e.Message
        : $"{e.GetType().Name}: {e.Message}";

    /// <summary>What a refusal (<see cref="Refusal"/>) says, in words that name the type.</summary>
    internal static string Why(Exception refusal) =>
        refusal is global::Hyperion.Internal.EvilDeserializationException evil
        ? $"type {evil.BadTypeString} is on Hyperion's list of unsafe types; refused unread"
        : refusal.Message;
}
