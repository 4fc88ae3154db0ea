using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace ClusterPool.Hosts;

/// <summary>
/// A folder's files as a host's cache stores them: by content. Each file is named by its SHA-256, so a file a host has
/// (from any earlier build) never crosses again; the tree's <see cref="Id"/> is the hash of its manifest (every path,
/// mode and content hash), so an unchanged build is recognised with one lookup and ships nothing.
/// </summary>
/// <param name="Kind">What the tree is (<c>app</c>, <c>runtime</c>): the cache keeps them apart.</param>
/// <param name="Id">The manifest's hash.</param>
/// <param name="Files">Each file, by its path in the tree.</param>
internal sealed record FileTree(string Kind, string Id, IReadOnlyList<TreeFile> Files)
{
    // A file's hash, kept while it is unchanged (same size and time), so a second pool of the same program hashes
    // nothing again.
    private static readonly ConcurrentDictionary<(string Path, long Size, DateTime Written), string> Hashes = new();

    /// <summary>The files of <paramref name="folder"/> that <paramref name="include"/> keeps (given each path relative
    /// to the folder, with <c>/</c>).</summary>
    public static FileTree Of(string kind, string folder, Func<string, bool> include)
    {
        var root = Path.GetFullPath(folder);
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Relative: Path.GetRelativePath(root, path).Replace('\\', '/')))
            .Where(file => include(file.Relative))
            .OrderBy(file => file.Relative, StringComparer.Ordinal)
            .ToList();
        var hashed = new TreeFile[files.Count];
        Parallel.For(0, files.Count, i =>
        {
            var info = new FileInfo(files[i].Path);
            hashed[i] = new TreeFile(files[i].Relative, info.FullName, info.Length, HashOf(info), IsExecutable(info));
        });
        return new FileTree(kind, IdOf(ManifestLines(hashed)), hashed);
    }

    /// <summary>The manifest, one line per file (<c>HASH MODE PATH</c>): what the host's cache builds the tree
    /// from.</summary>
    public IEnumerable<string> ManifestLines() => ManifestLines(Files);

    private static IEnumerable<string> ManifestLines(IEnumerable<TreeFile> files) =>
        files.Select(f => $"{f.Hash} {(f.Executable ? "755" : "644")} {f.Path}");

    /// <summary>The files the host lacks, by content hash (one file for every hash).</summary>
    public IEnumerable<TreeFile> WithHashes(IReadOnlySet<string> hashes) =>
        Files.Where(f => hashes.Contains(f.Hash)).DistinctBy(f => f.Hash);

    private static string IdOf(IEnumerable<string> manifest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', manifest))))[..32];

    private static string HashOf(FileInfo file) => Hashes.GetOrAdd((file.FullName, file.Length,
        file.LastWriteTimeUtc), _ =>
    {
        using var stream = file.OpenRead();
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    });

    private static bool IsExecutable(FileInfo file) => !OperatingSystem.IsWindows()
        ? (file.UnixFileMode & UnixFileMode.UserExecute) != 0
        : file.Extension is ".exe" || file.Name is "dotnet" or "createdump";
}
