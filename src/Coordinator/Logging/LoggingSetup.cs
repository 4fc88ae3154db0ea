using Akka.Actor.Setup;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Logging;

/// <summary>Hands a pool's <see cref="ILoggerFactory"/> to its actor system, where <see cref="AkkaLogBridge"/> finds
/// it.</summary>
internal sealed class LoggingSetup(ILoggerFactory factory) : Setup
{
    /// <summary>The pool's logger factory.</summary>
    public ILoggerFactory Factory { get; } = factory;
}
