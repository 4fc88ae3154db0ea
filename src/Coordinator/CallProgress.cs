namespace ClusterPool;

/// <summary>
/// How far a call has come (<see cref="CallOptions.Progress"/>, <see cref="AsyncResult{T}.ProgressChanged"/>,
/// <see cref="IMapIterator{T}.ProgressChanged"/>): items done and failed, of how many when that is known, at what rate.
/// </summary>
/// <param name="Done">Items whose results arrived (restored from a checkpoint included).</param>
/// <param name="Failed">Items that failed.</param>
/// <param name="Total">Items in the call: known at once for a list or an array, else once the input has been read to
/// its end.</param>
/// <param name="Elapsed">Time since the call was made.</param>
/// <param name="Finished">True in the last report, once the call is over.</param>
public sealed record CallProgress(long Done, long Failed, long? Total, TimeSpan Elapsed, bool Finished)
{
    /// <summary>The call's number in its pool (1, 2, ...): tells the calls apart when one listener hears
    /// several.</summary>
    public long CallId { get; init; }

    /// <summary>The function the call runs (<c>Type.Method</c>).</summary>
    public string Function { get; init; } = "";

    /// <summary>Items finished per second since the call was made (done and failed).</summary>
    public double Rate => Elapsed > TimeSpan.Zero ? (Done + Failed) / Elapsed.TotalSeconds : 0;

    /// <summary>Time left at the current rate; null while the total or a rate is not known yet.</summary>
    public TimeSpan? Eta => Total is { } total && Rate > 0
        ? TimeSpan.FromSeconds(Math.Max(0, total - Done - Failed) / Rate)
        : Finished ? TimeSpan.Zero : null;

    /// <summary>Done and failed as a fraction of the total (0 to 1); null while the total is not known.</summary>
    public double? Fraction => Total is > 0 and var total ? Math.Min(1, (double)(Done + Failed) / total) : Total == 0
        ? 1 : null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Done + Failed}/{(Total?.ToString() ?? "?")} items ({Failed} failed), {Rate:F1}/s, ETA " +
            $"{(Eta is { } eta ? $"{eta.TotalSeconds:F0} s" : "?")}";
}
