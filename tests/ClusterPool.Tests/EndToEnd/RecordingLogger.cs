using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every record, for tests of what a pool logs.</summary>
public sealed class RecordingLogger : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Records { get; } = new();

    public ILoggerFactory Factory() => LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    /// <summary>Records at warning level and above, one per line, for assertion messages.</summary>
    public List<string> Warnings() => [.. Records.Where(r => r.Level >= LogLevel.Warning).Select(r => $"{r.Level} {r.Category}: {r.Message}")];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(RecordingLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Records.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
