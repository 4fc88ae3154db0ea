using System.Runtime.ExceptionServices;
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
    // Hyperion's own form (every version before protocol 4 wrote it; checkpoints hold it), a top-level array of
    // primitive values, and Hyperion with ClusterPool's array factories (what this version writes).
    private const byte HyperionForm = 0, RawArrayForm = 1, ArraysForm = 2;

    // Shared and cyclic objects arrive shared and cyclic.
    private const bool PreserveReferences = true;

    // Hyperion's own list of unsafe types (disallowUnsafeTypes), and ClusterPool's: only the types AllowedTypes
    // accepts are read, and every type name a payload holds is judged before anything is loaded.
    private static readonly Serializer Hyperion = Create(
        [new NestedPrimitiveArraysFactory(PreserveReferences), new ShapedArraysFactory(PreserveReferences)]);

    // Hyperion's own form, without ClusterPool's array factories: what argument hashes are taken of
    // (ArgumentBytes), so that a run resumed after an upgrade finds its items done, and how form 0 is read.
    // It writes the entries of sets and dictionaries kept in hash order in key order: the same arguments hash alike in
    // every process (their order followed each process's string hash codes, so such an item never resumed).
    private static readonly Serializer Earlier = Create([], keyOrder: true);

    // Form 0 as protocol version 3 wrote it (one landed build): nested primitive arrays already raw, under form 0.
    // Read only when Earlier cannot read a form-0 payload.
    private static readonly Serializer Version3 = Create([new NestedPrimitiveArraysFactory(PreserveReferences)]);

    private static Serializer Create(ValueSerializerFactory[] arrays, bool keyOrder = false) => new(
        new SerializerOptions(
            versionTolerance: false,
            preserveObjectReferences: PreserveReferences,
            surrogates: null,
            serializerFactories: GuardedBuildFactory.All([new CulturesFactory(PreserveReferences),
                new RefuseLiveStateFactory(), new NameValueCollectionFactory(PreserveReferences),
                new ComparerCollectionsFactory(PreserveReferences, keyOrder),
                new ImmutableElementArraysFactory(PreserveReferences), .. arrays,
                new ExceptionFieldsFactory(PreserveReferences), new Sharing.SharedHandleFactory(PreserveReferences),
                new UnbuildableCollectionsFactory()]),
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: true,
            typeFilter: AllowedTypes.Instance));

    /// <summary>True once strings travel exactly (<see cref="ExactStrings"/>); a test checks it stays so.</summary>
    public static bool StringsExact { get; } = ExactStrings.Install(Hyperion) && ExactStrings.Install(Earlier)
        && ExactStrings.Install(Version3);

    /// <summary>True once DateTime values travel exactly (<see cref="ExactDateTimes"/>); a test checks it stays
    /// so.</summary>
    public static bool DateTimesExact { get; } = ExactDateTimes.Install(Hyperion) && ExactDateTimes.Install(Earlier)
        && ExactDateTimes.Install(Version3);

    /// <summary>Serializes <paramref name="value"/>; throws <see cref="PayloadSerializationException"/> naming the type
    /// that cannot cross.</summary>
    public static byte[] Serialize(object? value, string what) => Serialize(value, what, Hyperion, ArraysForm);

    /// <summary>
    /// <paramref name="arguments"/> as bytes to hash (a checkpoint's argument hash), in the form they were hashed in
    /// before arrays of primitives inside a payload travelled raw: the same arguments give the same bytes in every
    /// version. Never sent.
    /// </summary>
    public static byte[] ArgumentBytes(object? arguments) =>
        Serialize(arguments, "the arguments", Earlier, HyperionForm);

    private static byte[] Serialize(object? value, string what, Serializer hyperion, byte form)
    {
        try
        {
            if (PrimitiveArrays.TryWrite(value, RawArrayForm) is { } raw) return raw;
            return DeepPayloads.Write(() =>
            {
                using var stream = new DeepPayloads.GuardedStream();
                stream.WriteByte(form);
                hyperion.Serialize(value, stream);
                return stream.ToArray();
            });
        }
        catch (Exception e)
        {
            // .NET refused to hash an inline array as Hyperion looked it up (before any factory saw its type).
            var why = e.GetBaseException() is NotSupportedException && InlineArrayValues.Find(value) is { } inline
                ? RefuseLiveStateFactory.InlineArray(inline) : Describe(e);
            throw new PayloadSerializationException($"{what} cannot be sent to another process: {why}", e);
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
                case ArraysForm:
                    return Read<T>(bytes, Hyperion).Value;
                case HyperionForm:
                    return ReadFormZero<T>(bytes);
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

    /// <summary>
    /// Form 0: Hyperion's own (every version before protocol 3), or as protocol 3 (one build) wrote it, nested arrays
    /// of primitive values raw. Nothing in the bytes tells the two apart, so each reader is tried in turn, and a
    /// reading counts only if it took every byte: read with the other form's reader, a payload fails, ends early or
    /// overruns.
    /// </summary>
    private static T ReadFormZero<T>(byte[] bytes)
    {
        Exception? first = null;
        // A refusal too is only a failure of one reader: the other form's bytes, read as this one's, can look like a
        // type name no one allows. Refused by both, it is refused.
        foreach (var reader in (Serializer[])[Earlier, Version3])
            try
            {
                var (value, whole) = Read<T>(bytes, reader);
                if (whole) return value;
                first ??= new InvalidDataException("the payload holds more than its values (damaged?)");
            }
            catch (Exception e) { first ??= e; }
        ExceptionDispatchInfo.Throw(first!);
        throw first!; // not reached
    }

    /// <summary>What <paramref name="hyperion"/> reads from <paramref name="bytes"/>, and whether it took them
    /// all.</summary>
    private static (T Value, bool Whole) Read<T>(byte[] bytes, Serializer hyperion) => DeepPayloads.Read(bytes.Length,
        () =>
        {
            using var stream = new MemoryStream(bytes, 1, bytes.Length - 1, writable: false);
            var value = hyperion.Deserialize<T>(stream);
            return (value, stream.Position == stream.Length);
        });

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
        : $"{e.GetType().Name}: {e.Message}{Cause(e)}";

    // What threw deep inside (a constructor that refused, through reflection's "target of an invocation"), when the
    // message does not say it already.
    private static string Cause(Exception e) => e.GetBaseException() is var cause && cause != e
        && !e.Message.Contains(cause.Message, StringComparison.Ordinal)
        ? $" ({cause.GetType().Name}: {cause.Message})" : "";

    /// <summary>What a refusal (<see cref="Refusal"/>) says, in words that name the type.</summary>
    internal static string Why(Exception refusal) =>
        refusal is global::Hyperion.Internal.EvilDeserializationException evil
        ? $"type {evil.BadTypeString} is on Hyperion's list of unsafe types; refused unread"
        : refusal.Message;
}
