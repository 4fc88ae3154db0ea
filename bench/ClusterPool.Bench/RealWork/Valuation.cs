namespace ClusterPool.Bench.RealWork;

/// <summary>A trade's price and its sensitivities to the underlying.</summary>
/// <param name="TradeId">Which trade.</param>
/// <param name="Price">Present value.</param>
/// <param name="Delta">Change of the price per unit of spot.</param>
/// <param name="Gamma">Change of delta per unit of spot.</param>
public sealed record Valuation(int TradeId, double Price, double Delta, double Gamma);
