namespace ClusterPool.Bench.RealWork;

/// <summary>
/// Prices an option on a Cox-Ross-Rubinstein tree, the way pricing libraries are written: the market behind interfaces
/// (<see cref="IYieldCurve"/>, <see cref="IVolatilitySurface"/>), the payoff a virtual call per node, a new array per
/// layer, and the Greeks by bumping the spot and pricing again.
/// </summary>
/// <param name="curve">Discounting.</param>
/// <param name="surface">Volatility.</param>
/// <param name="steps">Time steps of the tree (its cost grows with their square).</param>
public sealed class BinomialPricer(IYieldCurve curve, IVolatilitySurface surface, int steps)
{
    private const double Bump = 0.01;

    /// <summary>The trade's price, delta and gamma.</summary>
    public Valuation Value(OptionTrade trade)
    {
        var payoff = new VanillaPayoff(trade.Strike, trade.IsCall);
        var up = Price(trade with { Spot = trade.Spot * (1 + Bump) }, payoff);
        var mid = Price(trade, payoff);
        var down = Price(trade with { Spot = trade.Spot * (1 - Bump) }, payoff);
        var h = trade.Spot * Bump;
        return new Valuation(trade.Id, mid, (up - down) / (2 * h), (up - 2 * mid + down) / (h * h));
    }

    private double Price(OptionTrade trade, IPayoff payoff)
    {
        var dt = trade.Maturity / steps;
        var vol = surface.Volatility(trade.Spot, trade.Strike, trade.Maturity);
        var u = Math.Exp(vol * Math.Sqrt(dt));
        var d = 1 / u;

        // The spots of the last layer, then the option's value there.
        var values = new double[steps + 1];
        var spot = trade.Spot * Math.Pow(d, steps);
        for (var j = 0; j <= steps; j++, spot *= u * u) values[j] = payoff.Value(spot);

        // Back through the tree: each layer's value from the one after it, discounted on the curve for that step.
        for (var i = steps - 1; i >= 0; i--)
        {
            var t = i * dt;
            var rate = curve.ForwardRate(t, t + dt);
            var growth = Math.Exp(rate * dt);
            var p = (growth - d) / (u - d);
            var discount = 1 / growth;
            var layer = new double[i + 1];
            spot = trade.Spot * Math.Pow(d, i);
            for (var j = 0; j <= i; j++, spot *= u * u)
            {
                var held = discount * (p * values[j + 1] + (1 - p) * values[j]);
                layer[j] = trade.American ? Math.Max(held, payoff.Value(spot)) : held;
            }
            values = layer;
        }
        return values[0];
    }
}
