using Akka.Configuration;
using ClusterPool.Contracts.Configuration;

namespace ClusterPool.Dispatch;

/// <summary>When a straggling chunk gets a backup copy (<c>clusterpool.speculation</c> in
/// <c>hocon/coordinator.hocon</c>).</summary>
/// <param name="Multiplier">A chunk straggles once it has run this many times as long as its call's typical chunk of
/// its size.</param>
/// <param name="MinimumRuntime">And at least this long: a backup of a short chunk costs more than it could
/// save.</param>
/// <param name="CheckEvery">How often the tail of the work is looked at for stragglers.</param>
internal sealed record SpeculationSettings(double Multiplier, TimeSpan MinimumRuntime, TimeSpan CheckEvery)
{
    /// <summary>The settings of <c>hocon/coordinator.hocon</c>, for a coordinator made without a config (unit
    /// tests).</summary>
    public static readonly SpeculationSettings Default = new(1.5, TimeSpan.FromMilliseconds(500),
        TimeSpan.FromMilliseconds(200));

    /// <summary>Reads the settings, naming any that is missing or malformed.</summary>
    public static SpeculationSettings Create(Config config) => new(
        PoolConfig.ReadNumber(config, "clusterpool.speculation.multiplier", minimum: 1),
        PoolConfig.ReadDuration(config, "clusterpool.speculation.minimum-runtime", allowZero: true),
        PoolConfig.ReadDuration(config, "clusterpool.speculation.check-every"));
}
