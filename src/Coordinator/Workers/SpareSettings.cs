namespace ClusterPool.Workers;

/// <summary>How a pool's spares for the program's next pool are kept (<c>clusterpool.local-workers.spares</c>).</summary>
/// <param name="KeepFor">How long they wait for a pool after the last one asked for them; zero: no spares.</param>
/// <param name="Most">How many at most (a pool asks for as many as it has processes).</param>
/// <param name="Loopback">The pool listens on loopback, where spares bind: a pool that listens elsewhere neither adopts nor leaves any.</param>
internal sealed record SpareSettings(TimeSpan KeepFor, int Most, bool Loopback);
