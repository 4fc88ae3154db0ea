namespace ClusterPool.Samples.Finance;

/// <summary>
/// Synthetic companies, the same for the same seed on every machine and every run: five years of statements each,
/// with growth, margins and leverage that differ by sector and by company.
/// </summary>
public static class CompanyGenerator
{
    private static readonly string[] Sectors = ["Technology", "Healthcare", "Industrials", "Energy", "Consumer", "Financials"];
    private const int Years = 5, FirstYear = 2021;

    /// <summary>Companies 1..<paramref name="count"/>, generated lazily.</summary>
    public static IEnumerable<Company> Generate(int seed, int count)
    {
        for (var id = 1; id <= count; id++) yield return Make(seed, id);
    }

    private static Company Make(int seed, int id)
    {
        var random = new Random(unchecked(seed * 1_000_003 + id)); // System.Random with a seed: the same numbers on every run
        var sector = Sectors[random.Next(Sectors.Length)];
        var revenue = 50 + random.NextDouble() * 5000;
        var growth = -0.05 + random.NextDouble() * 0.3;
        var grossMargin = 0.2 + random.NextDouble() * 0.6;
        var opexShare = 0.1 + random.NextDouble() * 0.35;
        var assets = revenue * (0.8 + random.NextDouble() * 2.5);
        var leverage = 0.2 + random.NextDouble() * 0.7;
        var years = new YearStatement[Years];
        for (var y = 0; y < Years; y++)
        {
            revenue *= 1 + growth + (random.NextDouble() - 0.5) * 0.08;
            assets *= 1 + growth / 2 + (random.NextDouble() - 0.5) * 0.04;
            var cost = revenue * (1 - grossMargin + (random.NextDouble() - 0.5) * 0.04);
            var opex = revenue * opexShare;
            var liabilities = assets * leverage;
            var interest = liabilities * (0.02 + random.NextDouble() * 0.03);
            var pretax = revenue - cost - opex - interest;
            years[y] = new YearStatement(FirstYear + y, Round(revenue), Round(cost), Round(opex), Round(interest),
                Round(Math.Max(0, pretax) * 0.21), Round(assets), Round(liabilities), Round(assets - liabilities));
        }
        return new Company(id, Ticker(random), sector, years);
    }

    private static string Ticker(Random random) => string.Concat(Enumerable.Range(0, 4).Select(_ => (char)('A' + random.Next(26))));

    private static double Round(double millions) => Math.Round(millions, 2);
}
