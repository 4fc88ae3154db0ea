using System.Runtime.InteropServices;
using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Serialization;
using ClusterPool.Contracts.Messages;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// The wire form of the messages every task crosses twice (<see cref="Chunk"/> in a <see cref="WorkBatch"/>, its
/// <see cref="ChunkResult"/>s, <see cref="RequestWork"/>, <see cref="HandBack"/>, <see cref="DropCall"/>,
/// <see cref="DropChunk"/>, <see cref="ReclaimQueued"/>), written field by field. Hyperion wrote them through a growing
/// stream (the task payload copied several times over) and generated its serializers on first use, which every new
/// process paid on its first task. Bound to these types in <c>hocon/shared.hocon</c>; every other message still travels
/// with Hyperion. Strings travel as UTF-16, so any text (even a lone surrogate in an error message) arrives as it left.
/// A worker's <see cref="RegisterSlots"/> and its <see cref="Welcome"/> are written here too: Hyperion's serializers
/// for them cost each new worker process ~0.2 CPU-s to generate, a fifth of its start.
/// </summary>
internal sealed class WorkProtocolSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private const string ChunkManifest = "C", WorkBatchManifest = "WB", HandBackManifest = "HB",
        RequestWorkManifest = "RW",
        DropCallManifest = "DC", DropChunkManifest = "DK", ReclaimQueuedManifest = "RQ", ChunkResultManifest = "R",
        ChunkResultsManifest = "RS",
        RegisterSlotsManifest = "REG", WelcomeManifest = "W";

    // Below this, a write buffer is kept per thread for the next message; a bigger one is let go after use.
    private const int KeptBufferBytes = 1 << 20;

    [ThreadStatic] private static MemoryStream? _buffer;


    /// <summary>ClusterPool's serializer id (Akka reserves 0–100 for its own).</summary>
    public override int Identifier => 4711;

    /// <inheritdoc />
    public override string Manifest(object o) => o switch
    {
        Chunk => ChunkManifest,
        WorkBatch => WorkBatchManifest,
        HandBack => HandBackManifest,
        RequestWork => RequestWorkManifest,
        DropCall => DropCallManifest,
        DropChunk => DropChunkManifest,
        ReclaimQueued => ReclaimQueuedManifest,
        ChunkResult => ChunkResultManifest,
        ChunkResults => ChunkResultsManifest,
        RegisterSlots => RegisterSlotsManifest,
        Welcome => WelcomeManifest,
        _ => throw Unknown(o.GetType().FullName),
    };

    /// <inheritdoc />
    public override byte[] ToBinary(object obj)
    {
        // A message with big payloads is measured first, then written into an array of its exact size: one allocation
        // and one copy of its payloads. Grown by doubling, then trimmed, a 2 MB chunk took eight of each.
        if (PayloadBytes(obj) > KeptBufferBytes)
        {
            var measured = new CountingStream();
            WriteMessage(measured, obj);
            var exact = new byte[measured.Length];
            using var into = new MemoryStream(exact);
            WriteMessage(into, obj);
            return exact;
        }
        var stream = _buffer ??= new MemoryStream();
        stream.SetLength(0);
        WriteMessage(stream, obj);
        var bytes = stream.ToArray();
        if (stream.Capacity > KeptBufferBytes) _buffer = null;
        return bytes;
    }

    private void WriteMessage(Stream stream, object obj)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        switch (obj)
        {
            case Chunk chunk: Write(writer, chunk); break;
            case WorkBatch batch: WriteArray(writer, batch.Chunks, Write); break;
            case HandBack handBack:
                WriteArray(writer, handBack.Chunks, Write);
                WriteString(writer, handBack.HandOverFailure);
                break;
            case RequestWork request: writer.Write(request.Capacity); break;
            case DropCall cancel:
                writer.Write(cancel.CallId);
                writer.Write(cancel.Interrupting);
                break;
            case DropChunk drop:
                writer.Write(drop.CallId);
                writer.Write(drop.ChunkId);
                break;
            case ReclaimQueued: break;
            case ChunkResult result: Write(writer, result); break;
            case ChunkResults results: WriteArray(writer, results.Parts, Write); break;
            case RegisterSlots register: Write(writer, register); break;
            case Welcome welcome: Write(writer, welcome); break;
            default: throw Unknown(obj.GetType().FullName);
        }
    }

    /// <summary>A stream that only counts what is written to it: a message's size before it is written.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override long Length => _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
        public override void WriteByte(byte value) => _length++;
        public override void Flush() { }
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>The bytes of the payloads <paramref name="message"/> carries (what makes a message big).</summary>
    private static int PayloadBytes(object message) => message switch
    {
        Chunk chunk => chunk.Payload.Length,
        WorkBatch batch => batch.Chunks.Sum(c => c.Payload.Length),
        HandBack handBack => handBack.Chunks.Sum(c => c.Payload.Length),
        ChunkResult result => ResultBytes(result),
        ChunkResults results => results.Parts.Sum(ResultBytes),
        Welcome welcome => welcome.InitArgs?.Length ?? 0,
        _ => 0,
    };

    private static int ResultBytes(ChunkResult result) =>
        (result.Payload?.Length ?? 0) + (result.Error?.Exception?.Length ?? 0);

    /// <inheritdoc />
    public override object FromBinary(byte[] bytes, string manifest)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
        return manifest switch
        {
            ChunkManifest => ReadChunk(reader),
            WorkBatchManifest => new WorkBatch(ReadArray(reader, ReadChunk)),
            HandBackManifest => new HandBack(ReadArray(reader, ReadChunk), ReadString(reader)),
            RequestWorkManifest => new RequestWork(reader.ReadInt32()),
            DropCallManifest => new DropCall(reader.ReadInt64(), reader.ReadBoolean()),
            DropChunkManifest => new DropChunk(reader.ReadInt64(), reader.ReadInt64()),
            ReclaimQueuedManifest => ReclaimQueued.Instance,
            ChunkResultManifest => ReadChunkResult(reader),
            ChunkResultsManifest => new ChunkResults(ReadArray(reader, ReadChunkResult)),
            RegisterSlotsManifest => ReadRegisterSlots(reader),
            WelcomeManifest => ReadWelcome(reader),
            _ => throw Unknown(manifest),
        };
    }

    private static void Write(BinaryWriter w, Chunk c)
    {
        w.Write(c.CallId);
        w.Write(c.ChunkId);
        w.Write(c.FirstIndex);
        w.Write(c.Count);
        Write(w, c.Function);
        WriteBytes(w, c.Payload);
        w.Write(c.OneArgument);
        w.Write(c.TaskTimeout.Ticks);
        w.Write(c.StartAt);
        WriteString(w, c.PayloadFile);
    }

    private static Chunk ReadChunk(BinaryReader r) =>
        new(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), ReadFunction(r), ReadBytes(r)!, r.ReadBoolean(),
            TimeSpan.FromTicks(r.ReadInt64()), r.ReadInt32(), ReadString(r));

    private static void Write(BinaryWriter w, FunctionRef f)
    {
        WriteString(w, f.AssemblyName);
        WriteString(w, f.TypeName);
        WriteString(w, f.MethodName);
        WriteArray(w, f.ParameterTypes, WriteString);
        w.Write(f.ModuleVersionId.ToByteArray());
        WriteString(w, f.AssemblyPath);
        w.Write(f.OnSingletonClosure);
    }

    private static FunctionRef ReadFunction(BinaryReader r) =>
        new(ReadString(r)!, ReadString(r)!, ReadString(r)!, ReadArray(r, reader => ReadString(reader)!),
            new Guid(r.ReadBytes(16)), ReadString(r), r.ReadBoolean());

    private static void Write(BinaryWriter w, ChunkResult c)
    {
        w.Write(c.CallId);
        w.Write(c.ChunkId);
        w.Write(c.Offset);
        w.Write(c.Count);
        WriteBytes(w, c.Payload);
        w.Write(c.Error is not null);
        if (c.Error is { } e)
        {
            w.Write((int)e.Kind);
            WriteString(w, e.TypeName);
            WriteString(w, e.Message);
            WriteString(w, e.StackTrace);
            WriteString(w, e.Host);
            w.Write(e.Pid);
            w.Write(e.Recycled);
            WriteBytes(w, e.Exception);
        }
        w.Write(c.Complete);
        w.Write(c.Seconds);
        WriteString(w, c.PayloadFile);
    }

    private static ChunkResult ReadChunkResult(BinaryReader r) =>
        new(r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadInt32(), ReadBytes(r), ReadError(r), r.ReadBoolean(),
            r.ReadDouble(), ReadString(r));

    // An actor reference travels as its full path (with this node's address), read back through this node's provider.
    // A worker's registration opens with the protocol's version: a worker and a pool of different ClusterPool versions
    // are told so, instead of misreading each other's fields. Version 2: a chunk's StartAt, and DropChunk. Version 3:
    // arrays of primitive values inside payloads as blocks of bytes (NestedPrimitiveArraysFactory). Version 4: payloads
    // of form 2, arrays of other values keep their shape (ShapedArraysFactory). Version 5: payloads handed over
    // through memory (PayloadFile of a chunk and of a result, HandOverFailure, the welcome's HandOverFolder).
    private const byte ProtocolVersion = 5;

    private void Write(BinaryWriter w, RegisterSlots register)
    {
        w.Write(ProtocolVersion);
        WriteString(w, register.Host);
        w.Write(register.Pid);
        WriteArray(w, register.Slots, (writer, slot) => WriteString(
            writer, Akka.Serialization.Serialization.SerializedActorPath(slot)));
        WriteArray(w, register.Build, (writer, build) =>
        {
            WriteString(writer, build.AssemblyName);
            WriteString(writer, build.Version);
            writer.Write(build.ModuleVersionId.ToByteArray());
        });
        w.Write(register.Embedded);
    }

    private RegisterSlots ReadRegisterSlots(BinaryReader r) => r.ReadByte() is var version && version != ProtocolVersion
        ? throw new SerializationException(
            $"a worker registered with ClusterPool's work protocol version {version}; this process speaks version " +
            $"{ProtocolVersion}: run the same ClusterPool version on both")
        : new(ReadString(r)!, r.ReadInt32(), ReadArray(r, reader =>
            system.Provider.ResolveActorRef(ReadString(reader)!)),
            ReadArray(r, reader => new BuildIdentity(ReadString(reader)!, ReadString(reader)!,
                new Guid(reader.ReadBytes(16)))), r.ReadBoolean());

    private static void Write(BinaryWriter w, Welcome welcome)
    {
        w.Write(welcome.Initializer is not null);
        if (welcome.Initializer is { } initializer) Write(w, initializer);
        WriteBytes(w, welcome.InitArgs);
        w.Write(welcome.MaxTasksPerChild);
        w.Write(welcome.MaxMemoryPerChild);
        w.Write(welcome.StuckTaskGrace.Ticks);
        w.Write(welcome.ShutdownGrace.Ticks);
        w.Write(welcome.SendResultsEvery.Ticks);
        WriteString(w, welcome.HandOverFolder);
        w.Write(welcome.HandOverAbove);
    }

    private static Welcome ReadWelcome(BinaryReader r) =>
        new(r.ReadBoolean() ? ReadFunction(r) : null, ReadBytes(r), r.ReadInt32(), r.ReadInt64(),
            TimeSpan.FromTicks(r.ReadInt64()), TimeSpan.FromTicks(r.ReadInt64()), TimeSpan.FromTicks(r.ReadInt64()),
            ReadString(r), r.ReadInt64());

    private static RemoteError? ReadError(BinaryReader r) => !r.ReadBoolean() ? null
        : new((ErrorKind)r.ReadInt32(), ReadString(r)!, ReadString(r)!, ReadString(r)!, ReadString(r)!, r.ReadInt32(),
            r.ReadBoolean(), ReadBytes(r));

    // Null is length −1, for strings and byte arrays alike.
    private static void WriteBytes(BinaryWriter w, byte[]? bytes)
    {
        w.Write(bytes?.Length ?? -1);
        if (bytes is not null) w.Write(bytes);
    }

    private static byte[]? ReadBytes(BinaryReader r)
    {
        var length = r.ReadInt32();
        return length < 0 ? null : r.ReadBytes(length);
    }

    private static void WriteString(BinaryWriter w, string? text)
    {
        w.Write(text?.Length ?? -1);
        if (text is not null) w.Write(MemoryMarshal.AsBytes(text.AsSpan()));
    }

    private static string? ReadString(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length < 0) return null;
        var bytes = r.ReadBytes(length * 2);
        return new string(MemoryMarshal.Cast<byte, char>(bytes));
    }

    private static void WriteArray<T>(BinaryWriter w, T[] items, Action<BinaryWriter, T> write)
    {
        w.Write(items.Length);
        foreach (var item in items) write(w, item);
    }

    private static T[] ReadArray<T>(BinaryReader r, Func<BinaryReader, T> read)
    {
        var items = new T[r.ReadInt32()];
        for (var i = 0; i < items.Length; i++) items[i] = read(r);
        return items;
    }

    private static SerializationException Unknown(string? what) =>
        new($"ClusterPool's work protocol serializer does not know {what} (a coordinator and worker of different " +
            "ClusterPool versions?)");
}
