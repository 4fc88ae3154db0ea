namespace ClusterPool.Dashboard;

/// <summary>A call as the dashboard's page reads it: <see cref="CallProgress"/> with its times in seconds.</summary>
internal sealed record CallView(long CallId, string Function, long Done, long Failed, long? Total,
    double ElapsedSeconds,
    double Rate, double? EtaSeconds, double? Fraction, bool Finished)
{
    /// <summary>The view of one call's progress.</summary>
    public static CallView From(CallProgress p) =>
        new(p.CallId, p.Function, p.Done, p.Failed, p.Total, p.Elapsed.TotalSeconds, p.Rate, p.Eta?.TotalSeconds,
            p.Fraction, p.Finished);
}
