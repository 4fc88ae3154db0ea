using System.Reflection;

namespace ClusterPool.Contracts;

/// <summary>
/// Tells .NET's own assemblies apart. Workers run only the application's functions: a function reference naming a
/// .NET method (<c>Process.Start</c>, <c>File.Delete</c>) would let whoever can send work run anything at all, so it is
/// refused on both sides (the pool at the call, with what to write instead; a worker when a message names one anyway).
/// </summary>
internal static class FrameworkAssemblies
{
    // .../dotnet/shared: every shared framework (Microsoft.NETCore.App, Microsoft.AspNetCore.App) lives under it - when
    // this process runs on a shared install. A self-contained app carries .NET in its own folder, beside its own code.
    private static readonly string? SharedRoot = SharedFrameworksFolder();

    // The keys .NET's own assemblies are signed with (the core library; the rest of .NET; ASP.NET Core and
    // Microsoft.Extensions; netstandard). Where .NET sits beside the app, or inside its single file, these tell them
    // apart.
    private static readonly HashSet<string> PlatformKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "7cec85d7bea7798e", "b03f5f7f11d50a3a", "adb9793829ddae60", "cc7b13ffcd2ddd51",
    };

    /// <summary>True when <paramref name="assembly"/> is part of .NET itself rather than of an application.</summary>
    public static bool Contains(Assembly assembly)
    {
        if (assembly == typeof(object).Assembly) return true;
        var location = assembly.Location;
        if (SharedRoot is not null && !string.IsNullOrEmpty(location)
            && Path.GetFullPath(location).StartsWith(SharedRoot + Path.DirectorySeparatorChar,
                StringComparison.Ordinal)) return true;
        var key = assembly.GetName().GetPublicKeyToken();
        return key is { Length: > 0 } && PlatformKeys.Contains(Convert.ToHexString(key));
    }

    private static string? SharedFrameworksFolder()
    {
        // .../shared/Microsoft.NETCore.App/10.0.5/System.Private.CoreLib.dll
        var version = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var framework = string.IsNullOrEmpty(version) ? null : Path.GetDirectoryName(version);
        var shared = framework is null ? null : Path.GetDirectoryName(framework);
        return shared is not null && Path.GetFileName(shared) == "shared" ? Path.GetFullPath(shared) : null;
    }
}
