namespace ClusterPool.Bench.RealWork;

/// <summary>A fitted zero curve (Nelson-Siegel): level, slope and curvature, the shape central banks publish.</summary>
/// <param name="Level">Long-term rate.</param>
/// <param name="Slope">Short end minus the long end.</param>
/// <param name="Curvature">The hump in the middle.</param>
/// <param name="Tau">Where the hump sits (years).</param>
public sealed record NelsonSiegelCurve(double Level, double Slope, double Curvature, double Tau) : IYieldCurve
{
    /// <summary>The zero rate to time <paramref name="t"/>.</summary>
    public double ZeroRate(double t)
    {
        if (t < 1e-9) return Level + Slope;
        var x = t / Tau;
        var decay = (1 - Math.Exp(-x)) / x;
        return Level + Slope * decay + Curvature * (decay - Math.Exp(-x));
    }

    /// <inheritdoc />
    public double Discount(double t) => Math.Exp(-ZeroRate(t) * t);
}
