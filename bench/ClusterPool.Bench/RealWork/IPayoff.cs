namespace ClusterPool.Bench.RealWork;

/// <summary>What an option pays at a given price of its underlying.</summary>
public interface IPayoff
{
    /// <summary>The payoff if exercised at spot <paramref name="spot"/>.</summary>
    double Value(double spot);
}
