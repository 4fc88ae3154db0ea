namespace ClusterPool.Workers;

/// <summary>How a pool's spares for the program's next pool are kept
/// (<c>clusterpool.local-workers.spares</c>).</summary>
/// <param name="KeepFor">How long they wait for a pool after the last one asked for them; zero: no spares.</param>
/// <param name="Most">How many at most (a pool asks for as many as it has processes).</param>
/// <param name="Loopback">The pool listens on a loopback port of its own choosing, where spares connect: a pool given a
/// <c>ListenAddress</c> neither adopts nor leaves any (a spare that talked to an earlier pool at the same fixed address
/// could find it closed to it for seconds).</param>
/// <param name="IdleBelow">The share of the machine's CPU time used under which its cores count as mostly idle, and
/// spares start (<see cref="IdleCpuWatch"/>).</param>
internal sealed record SpareSettings(TimeSpan KeepFor, int Most, bool Loopback, double IdleBelow);
