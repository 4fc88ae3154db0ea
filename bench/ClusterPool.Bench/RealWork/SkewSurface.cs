namespace ClusterPool.Bench.RealWork;

/// <summary>A volatility smile: at-the-money level, a skew and a curvature in log-moneyness, a term structure.</summary>
/// <param name="AtTheMoney">Volatility at the money, one year out.</param>
/// <param name="Skew">Change per unit of log-moneyness.</param>
/// <param name="Smile">Curvature in log-moneyness.</param>
/// <param name="TermSlope">Change per year of expiry.</param>
public sealed record SkewSurface(double AtTheMoney, double Skew, double Smile, double TermSlope) : IVolatilitySurface
{
    /// <inheritdoc />
    public double Volatility(double spot, double strike, double t)
    {
        var moneyness = Math.Log(strike / spot);
        return Math.Max(0.05, AtTheMoney + TermSlope * (t - 1) + Skew * moneyness + Smile * moneyness * moneyness);
    }
}
