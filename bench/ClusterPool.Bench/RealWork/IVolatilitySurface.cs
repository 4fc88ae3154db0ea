namespace ClusterPool.Bench.RealWork;

/// <summary>Implied volatility by strike and expiry.</summary>
public interface IVolatilitySurface
{
    /// <summary>The volatility for <paramref name="strike"/> at expiry <paramref name="t"/>, given spot <paramref name="spot"/>.</summary>
    double Volatility(double spot, double strike, double t);
}
