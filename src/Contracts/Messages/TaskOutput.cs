namespace ClusterPool.Contracts.Messages;

/// <summary>Worker host → coordinator: lines its tasks wrote to the console, in the order written, sent as they
/// come.</summary>
/// <param name="Host">The worker machine's name.</param>
/// <param name="Pid">The worker process id.</param>
/// <param name="Lines">The lines.</param>
/// <param name="Dropped">Lines dropped before these because the task wrote faster than they could be sent.</param>
internal sealed record TaskOutput(string Host, int Pid, OutputLine[] Lines, int Dropped = 0);
