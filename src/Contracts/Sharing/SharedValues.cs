namespace ClusterPool.Contracts.Sharing;

/// <summary>This process's <see cref="ISharedValueSource"/>: set by a worker host as it starts and by each pool's
/// store.</summary>
internal static class SharedValues
{
    /// <summary>The pool's sharing server's name under <c>/user</c>, where workers ask for values.</summary>
    public const string ServerName = "shared";

    private static volatile ISharedValueSource? _source;

    /// <summary>Installs the source handles that arrive in this process read from.</summary>
    public static void Install(ISharedValueSource source) => _source = source;

    /// <summary>The installed source; a handle read where none is installed is a mistake of its own.</summary>
    public static ISharedValueSource Source => _source ?? throw new InvalidOperationException(
        "a shared value's handle was read outside a pool's task: handles from Pool.Share are read in the tasks of " +
        "the pool that made them (or, in the program, from the handle Share returned)");
}
