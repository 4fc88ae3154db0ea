namespace ClusterPool.Bench.RealWork;

/// <summary>One option of a book: what a batch maps over.</summary>
/// <param name="Id">The trade's number.</param>
/// <param name="Spot">The underlying's price today.</param>
/// <param name="Strike">The strike.</param>
/// <param name="Maturity">Years to expiry.</param>
/// <param name="IsCall">A call, or a put.</param>
/// <param name="American">Exercisable any day, or only at expiry.</param>
public sealed record OptionTrade(int Id, double Spot, double Strike, double Maturity, bool IsCall, bool American)
{
    /// <summary>A book of <paramref name="count"/> trades, the same on every run (and in <c>realwork.py</c>).</summary>
    public static IReadOnlyList<OptionTrade> Book(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new OptionTrade(
            i, Spot: 100, Strike: 70 + i % 61, Maturity: 0.25 + i % 8 * 0.25, IsCall: i % 2 == 0, American: i % 3 != 0))];
}
