using System.Formats.Tar;

namespace ClusterPool.Hosts;

/// <summary>
/// The files a host lacks, as one tar stream its <c>tar</c> unpacks into the cache: each new file once, under
/// <c>stage/TOKEN/HASH</c>, and each build it completes as hard links (<c>KIND/ID.TOKEN/PATH</c> to the file by its
/// hash, new or already cached), so a build is laid out without a copy, and moved into place whole afterwards.
/// </summary>
internal static class TarShipment
{
    /// <summary>Writes the shipment; returns the bytes of file content it carried.</summary>
    public static async Task<long> WriteAsync(Stream output, string token, IReadOnlyList<FileTree> trees,
        IReadOnlySet<string> needed, CancellationToken cancel)
    {
        long bytes = 0;
        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        foreach (var file in trees.SelectMany(t => t.WithHashes(needed)).DistinctBy(f => f.Hash))
        {
            await using var content = File.OpenRead(file.Source);
            var entry = new PaxTarEntry(TarEntryType.RegularFile, $"stage/{token}/{file.Hash}")
            {
                DataStream = content,
                Mode = file.Executable ? Executable : Readable,
            };
            await tar.WriteEntryAsync(entry, cancel).ConfigureAwait(false);
            bytes += file.Size;
        }
        foreach (var tree in trees)
        {
            var folder = $"{tree.Kind}/{tree.Id}.{token}";
            var made = new HashSet<string>(StringComparer.Ordinal);
            await tar.WriteEntryAsync(Folder(folder), cancel).ConfigureAwait(false);
            foreach (var file in tree.Files)
            {
                // the folders on the way, once each, so tar need not make them for a link
                var parts = file.Path.Split('/');
                for (var depth = 1; depth < parts.Length; depth++)
                {
                    var sub = string.Join('/', parts[..depth]);
                    if (made.Add(sub)) await tar.WriteEntryAsync(Folder($"{folder}/{sub}"), cancel)
                        .ConfigureAwait(false);
                }
                var target = needed.Contains(file.Hash) ? $"stage/{token}/{file.Hash}" : $"blobs/{file.Hash}";
                await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.HardLink, $"{folder}/{file.Path}")
                {
                    LinkName = target,
                    Mode = file.Executable ? Executable : Readable,
                }, cancel).ConfigureAwait(false);
            }
        }
        return bytes;
    }

    private const UnixFileMode Readable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead
        | UnixFileMode.OtherRead;

    private const UnixFileMode Executable = Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute
        | UnixFileMode.OtherExecute;

    private static PaxTarEntry Folder(string path) => new(TarEntryType.Directory, path)
    {
        Mode = Executable | UnixFileMode.UserWrite,
    };
}
