namespace ClusterPool.Samples.Finance;

/// <summary>The task that runs on the workers: ratios and a score for one company.</summary>
public static class FinancialAnalysis
{
    /// <summary>
    /// Return on equity, margins and revenue growth of the latest year, leverage, and a score from 0 to 100 that rewards
    /// profitability and growth and penalises debt. Takes <c>WorkMillis</c> first, as a real model would; stops early
    /// when its token is cancelled (Ctrl+C), so an interrupted run ends quickly.
    /// </summary>
    public static CompanyScore Analyse(AnalysisRequest request, CancellationToken cancellationToken)
    {
        if (request.WorkMillis > 0) Task.Delay(request.WorkMillis, cancellationToken).GetAwaiter().GetResult();
        var company = request.Company;
        var latest = company.Years[^1];
        var first = company.Years[0];
        var roe = latest.ShareholdersEquity > 0 ? latest.NetIncome / latest.ShareholdersEquity : 0;
        var gross = latest.GrossProfit / latest.Revenue;
        var operating = latest.OperatingIncome / latest.Revenue;
        var net = latest.NetIncome / latest.Revenue;
        var growth = Math.Pow(latest.Revenue / first.Revenue, 1.0 / (company.Years.Length - 1)) - 1; // compound annual
        var debtToEquity = latest.ShareholdersEquity > 0 ? latest.TotalLiabilities / latest.ShareholdersEquity : double.PositiveInfinity;
        var score = 100 * (0.35 * Clamp(roe / 0.3) + 0.25 * Clamp(operating / 0.35) + 0.25 * Clamp((growth + 0.05) / 0.3) +
                           0.15 * Clamp(1 - debtToEquity / 3));
        return new CompanyScore(company.Id, company.Ticker, company.Sector, R(roe), R(gross), R(operating), R(net), R(growth),
            R(Math.Min(debtToEquity, 999)), Math.Round(score, 2));
    }

    private static double Clamp(double x) => Math.Clamp(x, 0, 1);

    private static double R(double x) => Math.Round(x, 4);
}
