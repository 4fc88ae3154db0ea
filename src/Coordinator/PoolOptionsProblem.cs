namespace ClusterPool;

/// <summary>
/// One setting of <see cref="PoolOptions"/> that <see cref="Pool.Start"/> refuses (<see cref="PoolOptionsRules"/>).
/// </summary>
internal sealed class PoolOptionsProblem
{
    private readonly ArgumentException? _error;
    private readonly string _parameter;

    /// <summary>A count or span out of range: Start throws <see cref="ArgumentOutOfRangeException"/>.</summary>
    public PoolOptionsProblem(string setting, object? value, string message)
    {
        Setting = setting;
        Value = value;
        Message = message;
        _parameter = "options";
    }

    /// <summary>A problem a check of its own found: Start throws its exception as it is.</summary>
    public PoolOptionsProblem(string setting, object? value, ArgumentException error, string parameter)
    {
        Setting = setting;
        Value = value;
        _error = error;
        _parameter = parameter;
        // ArgumentException.Message ends with " (Parameter '...')": the setting is named at the start already.
        var suffix = $" (Parameter '{parameter}')";
        Message = error.Message.Split('\n')[0] is var first && first.EndsWith(suffix, StringComparison.Ordinal)
            ? first[..^suffix.Length] : error.Message;
    }

    /// <summary>The property of <see cref="PoolOptions"/>, such as <c>Processes</c>.</summary>
    public string Setting { get; }

    /// <summary>The value it had.</summary>
    public object? Value { get; }

    /// <summary>What is wrong, naming the setting, without the exception's parameter suffix.</summary>
    public string Message { get; }

    /// <summary>The message with the value it had, for options validation (in it already, or added).</summary>
    public string Description => _error is null ? $"{Message}; it was {Value}" : Message;

    /// <summary>The exception <see cref="Pool.Start"/> throws for it.</summary>
    public ArgumentException ToException() => _error ?? new ArgumentOutOfRangeException(_parameter, Value, Message);
}
