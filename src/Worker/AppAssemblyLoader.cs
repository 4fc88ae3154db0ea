using System.Reflection;
using System.Runtime.Loader;
using ClusterPool.Contracts.Serialization;

namespace ClusterPool.Worker;

/// <summary>
/// Loads the user's application assembly (the one that holds the functions) with its own <c>.deps.json</c>, so its
/// NuGet dependencies resolve on the worker as they do in the app. Assemblies go into the default load context, where
/// Hyperion's type lookup by name finds them; the worker's own assemblies (Akka, Contracts) win when both have one.
/// </summary>
internal static class AppAssemblyLoader
{
    private static readonly List<AssemblyDependencyResolver> Resolvers = [];
    private static readonly Lock Gate = new();
    private static bool _hooked;

    /// <summary>
    /// Checks that <paramref name="path"/> (<c>--app</c>) names a .NET assembly this host can read, before anything
    /// starts: a bad one is a bad argument (exit code 2), said in one line that names the file and the problem.
    /// </summary>
    /// <exception cref="ArgumentException">It is missing, a folder, unreadable, or not a .NET assembly.</exception>
    public static void Check(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException(
            $"--app: {full} is a folder: --app takes the DLL your build makes");
        try { NameOf(full); }
        catch (FileNotFoundException e) { throw new ArgumentException($"--app: {e.Message}", e); }
        catch (BadImageFormatException e) { throw new ArgumentException(e.Message, e); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ArgumentException(
            $"--app: the application assembly {full} cannot be read ({e.Message})"); }
    }

    /// <summary>The name of the application assembly at <paramref name="full"/>, read from its file.</summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    private static AssemblyName NameOf(string full)
    {
        if (!File.Exists(full)) throw new FileNotFoundException(
            $"the application assembly {full} does not exist", full);
        try { return AssemblyName.GetAssemblyName(full); }
        catch (BadImageFormatException e) { throw new BadImageFormatException(
            $"the application {full} is not a .NET assembly: --app takes the DLL your build makes", full, e); }
    }

    /// <summary>Loads the application at <paramref name="path"/> and lets its dependencies resolve from its
    /// folder.</summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="BadImageFormatException">The file is not a .NET assembly.</exception>
    public static Assembly Load(string path)
    {
        var full = Path.GetFullPath(path);
        var name = NameOf(full);
        var resolver = new AssemblyDependencyResolver(full);
        // Payloads may now hold the application's types, and its dependencies' (ClusterPool reads no others).
        AllowedTypes.Instance.AddApplication(name => Knows(resolver, name));
        lock (Gate)
        {
            Resolvers.Add(resolver);
            if (!_hooked)
            {
                AssemblyLoadContext.Default.Resolving += ResolveFromApps;
                AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNativeFromApps;
                _hooked = true;
            }
        }
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(
            a => AssemblyName.ReferenceMatchesDefinition(a.GetName(), name) && a.GetName().Name == name.Name);
        return loaded ?? AssemblyLoadContext.Default.LoadFromAssemblyPath(full);
    }

    private static bool Knows(AssemblyDependencyResolver resolver, AssemblyName name)
    {
        try { return resolver.ResolveAssemblyToPath(name) is not null; }
        catch (Exception) { return false; } // a malformed name is nobody's
    }

    private static Assembly? ResolveFromApps(AssemblyLoadContext context, AssemblyName name)
    {
        AssemblyDependencyResolver[] resolvers;
        lock (Gate) resolvers = [.. Resolvers];
        foreach (var resolver in resolvers)
        {
            var path = resolver.ResolveAssemblyToPath(name);
            if (path is not null) return context.LoadFromAssemblyPath(path);
        }
        return null;
    }

    private static IntPtr ResolveNativeFromApps(Assembly assembly, string name)
    {
        AssemblyDependencyResolver[] resolvers;
        lock (Gate) resolvers = [.. Resolvers];
        foreach (var resolver in resolvers)
        {
            var path = resolver.ResolveUnmanagedDllToPath(name);
            if (path is not null) return System.Runtime.InteropServices.NativeLibrary.Load(path);
        }
        return IntPtr.Zero;
    }
}
