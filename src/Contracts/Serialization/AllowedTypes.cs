using System.Collections.Concurrent;
using System.Reflection;
using Hyperion;
using Metadata = System.Reflection.Metadata;

namespace ClusterPool.Contracts.Serialization;

/// <summary>
/// Which types a ClusterPool process reads from another process: those of .NET, of ClusterPool and Akka, and of the
/// user's application and its dependencies (the assemblies its <c>.deps.json</c> lists). Anything else - a type from
/// an assembly this process was not built with, or code and live state such as a delegate - is refused before it is
/// loaded, with an error naming the type. Deserializers call <see cref="IsAllowed(string)"/> for every type name a
/// payload or a wire message names (Hyperion's type filter), so a crafted message cannot make a process load an
/// assembly or build a gadget object. Writers ask <see cref="WhyNot(Type)"/>, so the sender learns first.
/// </summary>
internal sealed class AllowedTypes : ITypeFilter
{
    /// <summary>The filter every ClusterPool serializer uses.</summary>
    public static AllowedTypes Instance { get; } = new();

    private static readonly string CoreLibrary = typeof(object).Assembly.GetName().Name!;

    // Types that are code or live process state rather than data: a payload holding one is an attack or a mistake.
    private static readonly Type[] NeverData =
    [
        typeof(Delegate), typeof(MarshalByRefObject), typeof(Thread), typeof(Task),
            typeof(System.Runtime.InteropServices.SafeHandle),
        typeof(CancellationTokenSource), typeof(System.Net.Sockets.Socket), typeof(Assembly), typeof(MethodBase),
        typeof(System.Runtime.Loader.AssemblyLoadContext), typeof(System.Diagnostics.Process), typeof(FileSystemInfo),
        typeof(IntPtr), typeof(UIntPtr),
        // Synchronization of this process's threads: once refused because they declare a handle or delegate field,
        // now named, as a field that is null no longer refuses its type.
        typeof(ManualResetEventSlim), typeof(SemaphoreSlim), typeof(CountdownEvent), typeof(Barrier),
        typeof(ReaderWriterLockSlim), typeof(Lock),
    ];

    // The simple names of the assemblies this process was started with: the .NET framework and, in an application,
    // everything its .deps.json lists; in a worker host, the host's own (Akka, ClusterPool). The runtime keeps these
    // as its trusted platform assemblies.
    private readonly HashSet<string> _started = StartedAssemblies();

    // A worker host adds the user's application when it loads it (--app): a name is the app's when its resolver finds
    // it.
    private readonly List<Func<AssemblyName, bool>> _applications = [];
    private readonly ConcurrentDictionary<string, string?> _verdicts = new();
    private readonly Lock _gate = new();

    private AllowedTypes() { }

    /// <summary>
    /// Adds an application's assemblies: <paramref name="knows"/> says whether an assembly name is the application's or
    /// one of its dependencies (a worker passes its <c>AssemblyDependencyResolver</c> for the app's <c>.deps.json</c>).
    /// </summary>
    public void AddApplication(Func<AssemblyName, bool> knows)
    {
        lock (_gate) _applications.Add(knows);
        _verdicts.Clear(); // a name refused before may be the new application's
    }

    /// <summary>Hyperion's type filter: true when the type named may be read; otherwise throws
    /// <see cref="RefusedTypeException"/> naming it.</summary>
    public bool IsAllowed(string typeName)
    {
        if (Refusal(typeName) is { } why) throw new RefusedTypeException(why);
        return true;
    }

    /// <summary>Why the type named (as Hyperion writes it, <c>Namespace.Type, Assembly</c>) may not be read, or null if
    /// it may.</summary>
    public string? Refusal(string typeName)
    {
        if (_verdicts.TryGetValue(typeName, out var known)) return known;
        var verdict = Judge(typeName);
        // Remembered up to a bound: a stream of made-up names must not grow this process's memory.
        if (_verdicts.Count < RememberedVerdicts) _verdicts.TryAdd(typeName, verdict);
        return verdict;
    }

    private const int RememberedVerdicts = 10_000;

    /// <summary>Why values of <paramref name="type"/> cannot be sent, or null if they can.</summary>
    public string? WhyNot(Type type)
    {
        foreach (var part in Parts(type))
        {
            if (IsNeverData(part)) return NeverDataReason(part);
            var assembly = part.Assembly.GetName();
            if (!part.Assembly.IsDynamic && KnowsAssembly(assembly)) continue;
            return $"type {Readable(type)} comes from assembly {assembly.Name}, which is not part of the " +
                   "application, its dependencies, .NET or ClusterPool: another process would refuse it";
        }
        return null;
    }

    private string? Judge(string typeName)
    {
        // Hyperion writes the core library's version, culture and key as %core% (which this check does not need); a
        // crafted message may say anything at all.
        var name = typeName.Replace(",%core%", "", StringComparison.Ordinal);
        if (!Metadata.TypeName.TryParse(name.AsSpan(), out var parsed, ParseOptions))
            return $"a payload names a type that cannot be parsed: \"{Shorten(typeName)}\"";
        foreach (var part in Parts(parsed))
        {
            if (part.IsPointer
                || part.IsByRef) return $"type {parsed.FullName} is a pointer or reference type, which is never data";
            var assembly = part.AssemblyName?.Name ?? CoreLibrary; // an unqualified name means the core library
            if (!KnowsAssembly(new AssemblyName(assembly)))
                return $"type {part.FullName} from assembly {assembly} is not part of this application, its " +
                    "dependencies, " +
                       ".NET or ClusterPool; refused unread";
        }
        // Every assembly named is one this process may load; now the type itself, and what it is.
        var type = Type.GetType(name, throwOnError: false);
        if (type is null) return null; // Hyperion says it does not exist, in its own words
        foreach (var part in Parts(type))
            if (IsNeverData(part)) return NeverDataReason(part);
        return null;
    }

    // .NET's default of 20 parts refused what the sender had sent: a ValueTuple of 15 elements (a tuple of 8 whose
    // last holds the rest) names 20 types. A bound still, for a crafted name.
    private static readonly Metadata.TypeNameParseOptions ParseOptions = new() { MaxNodes = 1_000 };

    private bool KnowsAssembly(AssemblyName assembly)
    {
        if (assembly.Name is null) return false;
        if (_started.Contains(assembly.Name)) return true;
        if (IsSingleFile && BundleHolds(assembly.Name)) return true;
        Func<AssemblyName, bool>[] applications;
        lock (_gate) applications = [.. _applications];
        return applications.Any(knows => knows(assembly));
    }

    // A single-file app lists no trusted assemblies (its own are inside its executable), and has loaded only some of
    // them yet: whether one is part of it is whether the default load context can load it by name - from the bundle or
    // .NET.
    private static readonly bool IsSingleFile = string.IsNullOrEmpty(typeof(AllowedTypes).Assembly.Location);
    private readonly ConcurrentDictionary<string, bool> _bundled = new(StringComparer.OrdinalIgnoreCase);

    private bool BundleHolds(string name)
    {
        if (_bundled.TryGetValue(name, out var known)) return known;
        bool holds;
        try { holds = System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyName(
            new AssemblyName(name)) is not null; }
        catch (Exception e) when (
            e is FileNotFoundException or FileLoadException or BadImageFormatException
                or ArgumentException) { holds = false; }
        if (_bundled.Count < RememberedVerdicts) _bundled.TryAdd(name, holds); // bounded, as the verdicts are
        return holds;
    }

    private static bool IsNeverData(Type type) => type.IsPointer || type.IsByRef
        || NeverData.Any(t => t.IsAssignableFrom(type));

    private static string NeverDataReason(Type type) =>
        type == typeof(IntPtr) || type == typeof(UIntPtr)
        // Hyperion writes no bytes for one: it arrived as 0, and every argument holding one hashed alike.
        ? $"type {Readable(type)} (nint, nuint) is a native-sized integer, most often a pointer or handle, which " +
            "means nothing in another process, and its value would arrive as 0: send a long (or ulong) instead"
        : typeof(Delegate).IsAssignableFrom(type)
        // Most often inside a lazy sequence: LINQ's Select holds its lambda, and computes its items only when read.
        ? $"type {Readable(type)} is code (a delegate), not data; a lazy sequence holds one (LINQ's Select or Where, " +
            "an iterator method): send its items instead, with .ToList() or .ToArray(); or an object's event or " +
            "Func field does: leave it null (no subscriber) when the object is sent"
        : $"type {Readable(type)} is code or live process state (a delegate, reflection object, stream, thread, " +
            "task, process or handle), not data: send plain data instead";

    // A type and every type it is built from: element types of arrays, generic arguments, declaring types.
    private static IEnumerable<Type> Parts(Type type)
    {
        yield return type;
        if (type.HasElementType) foreach (var part in Parts(type.GetElementType()!)) yield return part;
        if (type.IsConstructedGenericType)
            foreach (var argument in type.GenericTypeArguments)
                foreach (var part in Parts(argument)) yield return part;
    }

    private static IEnumerable<Metadata.TypeName> Parts(Metadata.TypeName name)
    {
        yield return name;
        if (name.IsArray || name.IsPointer || name.IsByRef)
            foreach (var part in Parts(name.GetElementType())) yield return part;
        else if (name.IsConstructedGenericType)
        {
            yield return name.GetGenericTypeDefinition();
            foreach (var argument in name.GetGenericArguments())
                foreach (var part in Parts(argument)) yield return part;
        }
    }

    private static HashSet<string> StartedAssemblies()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string trusted)
            foreach (var path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                names.Add(Path.GetFileNameWithoutExtension(path));
        // A single-file app has no such list: what it has loaded is what it was built with.
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
            if (!assembly.IsDynamic && assembly.GetName().Name is { } name) names.Add(name);
        return names;
    }

    /// <summary><c>System.Action&lt;System.String, System.String&gt;</c> rather than the name with every argument's
    /// assembly and key.</summary>
    public static string Readable(Type type) =>
        type.IsConstructedGenericType
            ? $"{type.GetGenericTypeDefinition().FullName?.Split('`')[0]}" +
              $"<{string.Join(", ", type.GenericTypeArguments.Select(Readable))}>"
            : type.HasElementType ? Readable(type.GetElementType()!) +
                (type.FullName?[type.FullName.LastIndexOf('[')..] ?? "[]")
            : type.FullName ?? type.Name;

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
