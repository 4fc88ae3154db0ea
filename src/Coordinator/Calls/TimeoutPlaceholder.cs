namespace ClusterPool.Calls;

/// <summary>
/// Checks <see cref="CallOptions.OnTimeout"/> against the call's result type. A placeholder of another type (an
/// <c>int</c> for a call of <c>double</c> results) failed its item with "item 3's result is a System.Int32, which this
/// call's result type cannot hold", as if the function had returned it, naming neither the option nor the type wanted.
/// </summary>
internal static class TimeoutPlaceholder
{
    private const string Option = $"{nameof(CallOptions)}.{nameof(CallOptions.OnTimeout)}";

    /// <summary>
    /// <paramref name="settings"/> with an <see cref="CallSettings.OnTimeout"/> whose value is checked against
    /// <typeparamref name="R"/>: one of another type fails its item with an <see cref="InvalidCastException"/> naming
    /// the option and both types.
    /// </summary>
    /// <exception cref="ArgumentException">The placeholder is a method declared to return a type that can never be an
    /// <typeparamref name="R"/>: said when the call is made. (A lambda's value is an object until it runs.)</exception>
    public static CallSettings Checked<R>(CallSettings settings)
    {
        if (settings.OnTimeout is not { } placeholder) return settings;
        var declared = placeholder.Method.ReturnType;
        if (declared != typeof(object) && !typeof(R).IsAssignableFrom(declared)
            && !(declared.IsAssignableFrom(typeof(R)) && !declared.IsValueType))
            throw new ArgumentException($"{Option} returns {ResultTypes.Display(declared)}, which this call's " +
                $"result type, {ResultTypes.Display(typeof(R))}, cannot hold: make it return a " +
                $"{ResultTypes.Display(typeof(R))} (or null for its default)", "options");
        return settings with { OnTimeout = timeout => Check<R>(placeholder(timeout), timeout) };
    }

    private static object? Check<R>(object? value, TaskTimeoutException timeout) => value is null or R ? value
        : throw new InvalidCastException(
            $"{Option} gave a value of type {ResultTypes.Display(value.GetType())} for item {timeout.ItemIndex} of " +
            $"{timeout.Function}, which timed out, but this call's result type is {ResultTypes.Display(typeof(R))}: " +
            $"make it return a {ResultTypes.Display(typeof(R))} (or null for its " +
            "default)", timeout);
}
