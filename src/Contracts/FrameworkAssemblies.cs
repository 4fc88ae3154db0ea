using System.Reflection;

namespace ClusterPool.Contracts;

/// <summary>
/// Tells .NET's own assemblies apart. Workers run only the application's functions: a function reference naming a
/// .NET method (<c>Process.Start</c>, <c>File.Delete</c>) would let whoever can send work run anything at all, so it is
/// refused on both sides (the pool at the call, with what to write instead; a worker when a message names one anyway).
/// </summary>
public static class FrameworkAssemblies
{
    // .../dotnet/shared: every shared framework (Microsoft.NETCore.App, Microsoft.AspNetCore.App) lives under it.
    private static readonly string? SharedRoot = Parent(Parent(Path.GetDirectoryName(typeof(object).Assembly.Location)));

    /// <summary>True when <paramref name="assembly"/> is part of .NET itself rather than of an application.</summary>
    public static bool Contains(Assembly assembly)
    {
        if (assembly == typeof(object).Assembly) return true;
        var location = assembly.Location;
        if (!string.IsNullOrEmpty(location) && SharedRoot is not null)
            return Path.GetFullPath(location).StartsWith(SharedRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        // A single-file app carries .NET inside itself and has no paths: go by the names .NET's assemblies have.
        var name = assembly.GetName().Name ?? "";
        return name is "mscorlib" or "netstandard" || name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.NETCore.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal);
    }

    private static string? Parent(string? path) => path is null ? null : Path.GetDirectoryName(path);
}
