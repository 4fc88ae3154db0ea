using System.Buffers;
using System.IO.MemoryMappedFiles;

namespace ClusterPool.Worker.Sharing;

/// <summary>
/// A shared array's file mapped read-only into this process: every process of the machine that maps it reads the same
/// pages, so the machine holds the array once however many processes use it.
/// </summary>
internal sealed unsafe class MappedArray : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _start;
    private readonly long _bytes;
    private object? _manager; // the MemoryManager<T> its readers were given

    private MappedArray(string path, long bytes)
    {
        _bytes = bytes;
        // Opened sharing everything: every process of the machine maps it at once, and its last user deletes it.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None,
            leaveOpen: false);
        _view = _file.CreateViewAccessor(0, bytes, MemoryMappedFileAccess.Read);
        byte* start = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        _start = start + _view.PointerOffset;
        Touch();
    }

    /// <summary>
    /// Reads one byte of every page once, now: the pages are the machine's already, but each process still takes a
    /// fault per page on its first read. Taken here, once per process, a task reads the array as fast as one of its
    /// own (taken in the tasks, they made each 1.5x slower).
    /// </summary>
    private void Touch()
    {
        var sum = 0;
        for (long offset = 0; offset < _bytes; offset += Environment.SystemPageSize) sum += _start[offset];
        GC.KeepAlive(sum);
    }

    public static MappedArray Open(string path, long bytes) => new(path, bytes);

    /// <summary>The elements, as <typeparamref name="T"/>.</summary>
    public ReadOnlyMemory<T> Memory<T>() where T : unmanaged
    {
        var manager = _manager as Manager<T> ?? new Manager<T>((T*)_start, (int)(_bytes / sizeof(T)));
        _manager = manager;
        return manager.Memory;
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }

    private sealed class Manager<T>(T* start, int length) : MemoryManager<T> where T : unmanaged
    {
        public override Span<T> GetSpan() => new(start, length);

        public override MemoryHandle Pin(int elementIndex = 0) => new(start + elementIndex);

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}
