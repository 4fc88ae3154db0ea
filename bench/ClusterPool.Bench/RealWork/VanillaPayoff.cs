namespace ClusterPool.Bench.RealWork;

/// <summary>A call (max(S - K, 0)) or a put (max(K - S, 0)).</summary>
public sealed class VanillaPayoff(double strike, bool isCall) : IPayoff
{
    /// <inheritdoc />
    public double Value(double spot) => Math.Max(isCall ? spot - strike : strike - spot, 0);
}
