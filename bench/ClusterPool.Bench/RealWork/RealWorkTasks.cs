namespace ClusterPool.Bench.RealWork;

/// <summary>
/// The realwork suite's task: value one trade of a book against a market loaded once per process (as a batch loads
/// its curves before the loop). The same pricer, market and book as <c>bench/python/realwork.py</c>, with more steps.
/// </summary>
public static class RealWorkTasks
{
    /// <summary>Steps of the tree: about 3 ms a trade on this machine's cores.</summary>
    public const int Steps = 760;

    private static readonly BinomialPricer Pricer = new(
        new NelsonSiegelCurve(Level: 0.045, Slope: -0.01, Curvature: 0.02, Tau: 2.0),
        new SkewSurface(AtTheMoney: 0.22, Skew: -0.15, Smile: 0.3, TermSlope: -0.02),
        Steps);

    /// <summary>The trade's price, delta and gamma.</summary>
    public static Valuation Value(OptionTrade trade) => Pricer.Value(trade);
}
