namespace ClusterPool.Contracts.Messages;

/// <summary>One line a task wrote to its worker's console.</summary>
/// <param name="IsError">True for stderr, false for stdout.</param>
/// <param name="Text">The line, without its line break.</param>
internal sealed record OutputLine(bool IsError, string Text);
