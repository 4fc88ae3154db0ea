namespace ClusterPool.Hosts;

/// <summary>
/// The part of this process's shared .NET install a worker host needs: the <c>dotnet</c> host, its resolver
/// (<c>host/fxr</c>), and the two frameworks at the versions this process runs on (.NET, and ASP.NET Core, which the
/// worker host's runtimeconfig names): about 110 MB, shipped once to a host without .NET and kept in its cache.
/// </summary>
internal static class RuntimeTree
{
    /// <summary>The tree for the install whose <c>dotnet</c> is <paramref name="dotnetHost"/>.</summary>
    public static FileTree Of(string dotnetHost)
    {
        var root = Path.GetDirectoryName(Path.GetFullPath(dotnetHost))!;
        var version = Environment.Version.ToString();
        var core = $"shared/Microsoft.NETCore.App/{version}/";
        var aspNet = Newest(Path.Combine(root, "shared", "Microsoft.AspNetCore.App"), version);
        var fxr = Newest(Path.Combine(root, "host", "fxr"), null);
        var host = Path.GetFileName(dotnetHost);
        return FileTree.Of("runtime", root, path =>
            path == host || path.StartsWith(core, StringComparison.Ordinal)
            || (aspNet is not null && path.StartsWith($"shared/Microsoft.AspNetCore.App/{aspNet}/",
                StringComparison.Ordinal))
            || (fxr is not null && path.StartsWith($"host/fxr/{fxr}/", StringComparison.Ordinal))
            || path is "LICENSE.txt" or "ThirdPartyNotices.txt");
    }

    /// <summary>The version folder in <paramref name="folder"/>: <paramref name="preferred"/> when there, else the
    /// newest of the same major version as this process's runtime (the newest of all for the resolver).</summary>
    private static string? Newest(string folder, string? preferred)
    {
        if (!Directory.Exists(folder)) return null;
        var versions = Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>()
            .Where(name => Version.TryParse(name.Split('-')[0], out _)).ToList();
        if (preferred is not null && versions.Contains(preferred)) return preferred;
        return versions.Where(v => preferred is null || v.StartsWith($"{Environment.Version.Major}.",
                StringComparison.Ordinal))
            .OrderByDescending(v => Version.Parse(v.Split('-')[0])).FirstOrDefault();
    }
}
