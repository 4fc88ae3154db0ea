using System.Diagnostics;
using System.Runtime.CompilerServices;
using Xunit.Sdk;

namespace ClusterPool.Tests;

/// <summary>
/// The tests' one way to wait for something another thread or process does: polls a condition, returns as soon as it
/// holds, and fails the test, naming what it waited for, when it does not hold in time.
/// </summary>
public static class Wait
{
    /// <summary>How long a wait lasts when the caller names no timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Returns once <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/>.</summary>
    /// <param name="condition">Polled on this thread, first at once, then every few milliseconds (up to 50 ms).</param>
    /// <param name="timeout">How long to wait; <see cref="DefaultTimeout"/> when null.</param>
    /// <param name="what">What is waited for, for the failure message; the condition's source text when null.</param>
    /// <param name="expression">Filled in by the compiler.</param>
    public static void For(Func<bool> condition, TimeSpan? timeout = null, string? what = null,
        [CallerArgumentExpression(nameof(condition))] string expression = "") =>
        For(condition, static held => held, timeout, what, expression, shown: false);

    /// <summary>
    /// Reads <paramref name="value"/> until <paramref name="until"/> holds for it, and returns that value; fails the test
    /// after <paramref name="timeout"/>, with the last value read in the message.
    /// </summary>
    public static T For<T>(Func<T> value, Func<T, bool> until, TimeSpan? timeout = null, string? what = null,
        [CallerArgumentExpression(nameof(until))] string expression = "") =>
        For(value, until, timeout, what, expression, shown: true);

    private static T For<T>(Func<T> value, Func<T, bool> until, TimeSpan? timeout, string? what, string expression,
        bool shown)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        var pause = 1;
        while (true)
        {
            var last = value();
            if (until(last)) return last;
            if (clock.Elapsed >= limit)
            {
                var seen = shown ? $"; last seen: {Show(last)}" : "";
                throw new XunitException($"waited {limit.TotalSeconds:0.###} s for {what ?? expression}, in vain{seen}");
            }
            Thread.Sleep(pause);
            pause = Math.Min(pause * 2, 50);
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string text => text,
        System.Collections.IEnumerable items => $"[{string.Join(", ", items.Cast<object?>())}]",
        _ => value.ToString() ?? "",
    };
}
