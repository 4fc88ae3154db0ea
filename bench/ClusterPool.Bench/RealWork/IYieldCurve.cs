namespace ClusterPool.Bench.RealWork;

/// <summary>A discount curve, as pricing libraries put one behind an interface (flat, fitted, bootstrapped).</summary>
public interface IYieldCurve
{
    /// <summary>The price today of 1 paid at time <paramref name="t"/> (years).</summary>
    double Discount(double t);

    /// <summary>The continuously compounded forward rate between <paramref name="t1"/> and <paramref name="t2"/>.</summary>
    double ForwardRate(double t1, double t2) => Math.Log(Discount(t1) / Discount(t2)) / (t2 - t1);
}
