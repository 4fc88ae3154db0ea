namespace ClusterPool.Samples.Finance;

/// <summary>One fiscal year of a company's income statement and balance sheet (in millions).</summary>
public sealed record YearStatement(
    int Year, double Revenue, double CostOfRevenue, double OperatingExpenses, double InterestExpense, double Taxes,
    double TotalAssets, double TotalLiabilities, double ShareholdersEquity)
{
    /// <summary>Revenue less the cost of revenue.</summary>
    public double GrossProfit => Revenue - CostOfRevenue;

    /// <summary>Gross profit less operating expenses.</summary>
    public double OperatingIncome => GrossProfit - OperatingExpenses;

    /// <summary>Operating income less interest and taxes.</summary>
    public double NetIncome => OperatingIncome - InterestExpense - Taxes;
}

/// <summary>A company and its statements, oldest year first.</summary>
public sealed record Company(int Id, string Ticker, string Sector, YearStatement[] Years);

/// <summary>What the analysis of one company sends back: its ratios and a score.</summary>
public sealed record CompanyScore(
    int Id, string Ticker, string Sector, double ReturnOnEquity, double GrossMargin, double OperatingMargin, double NetMargin,
    double RevenueGrowth, double DebtToEquity, double Score);

/// <summary>One task: a company, and how long its analysis should take (the sample's stand-in for heavy modelling).</summary>
public sealed record AnalysisRequest(Company Company, int WorkMillis);
