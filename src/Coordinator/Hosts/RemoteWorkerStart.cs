namespace ClusterPool.Hosts;

/// <summary>What every host's worker host is started with.</summary>
/// <param name="Join">The pool's <c>HOST:PORT</c>, as the hosts reach it.</param>
/// <param name="Certificate">The node certificate (PKCS#12, base64), handed over on the session's stdin; null for
/// plain text (<see cref="PoolOptions.InsecurePlaintextOnTrustedNetwork"/>).</param>
/// <param name="Password">The certificate's password, if it has one (the user's own file).</param>
/// <param name="GcGen0Size">The worker host's gen0 budget in bytes (<see cref="Contracts.Launch.WorkerGcBudget"/>); 0
/// leaves .NET's own.</param>
internal sealed record RemoteWorkerStart(string Join, string? Certificate, string? Password, long GcGen0Size);
