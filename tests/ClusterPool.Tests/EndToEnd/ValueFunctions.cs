using System.Collections.Immutable;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>A linked list node (a class: a record's Equals and ToString would recurse 100,000 levels in the test itself).</summary>
public sealed class Node(int value, Node? next)
{
    public int Value { get; } = value;
    public Node? Next { get; } = next;

    public static Node Chain(int length)
    {
        Node? head = null;
        for (var i = length - 1; i >= 0; i--) head = new Node(i, head);
        return head!;
    }

    public int Length()
    {
        var count = 0;
        for (var n = this; n is not null; n = n.Next) count++;
        return count;
    }
}

/// <summary>A user's own comparer: plain data, so it crosses as an object.</summary>
public sealed class ReverseOrdinal : IComparer<string>
{
    public int Compare(string? x, string? y) => string.CompareOrdinal(y, x);
}

/// <summary>Functions over the values a financial batch sends: each must arrive as it left.</summary>
public static class ValueFunctions
{
    public static bool HasAapl(Dictionary<string, decimal> prices) => prices.ContainsKey("aapl");

    public static bool SetHasAapl(HashSet<string> tickers) => tickers.Contains("aapl");

    public static Dictionary<string, decimal> Prices(int _) => new(StringComparer.OrdinalIgnoreCase) { ["AAPL"] = 189.25m };

    public static SortedSet<string> Descending(int _) => new(new ReverseOrdinal()) { "a", "c", "b" };

    public static int Length(Node head) => head.Length();

    public static string Echo(string text) => text;

    public static Node Chain(int length) => Node.Chain(length);

    public static int SumImmutable(ImmutableArray<int> values) => values.Sum();

    public static ImmutableArray<int> Immutable(int n) => [.. Enumerable.Range(0, n)];

    public static ImmutableList<string> ImmutableNames(int n) => [.. Enumerable.Range(0, n).Select(i => $"n{i}")];

    public static int CountImmutable(ImmutableDictionary<string, int> values) => values.Count;

    public static (decimal Amount, int Scale, DateTimeKind Kind, TimeSpan Offset) Describe((decimal Amount, DateTime At, DateTimeOffset Local) value) =>
        (value.Amount, value.Amount.Scale, value.At.Kind, value.Local.Offset);

    /// <summary>The cell <c>[1991, 0]</c> of a grid counted from 1990 and -1 (a year by a quarter), as the worker sees it.</summary>
    public static string? Cell(string?[,] grid) => grid[1991, 0];

    /// <summary>A grid of <paramref name="years"/> years from 1990 by 4 quarters from 1, each cell naming itself.</summary>
    public static string[,] Quarters(int years)
    {
        var grid = (string[,])Array.CreateInstance(typeof(string), [years, 4], [1990, 1]);
        for (var year = 1990; year < 1990 + years; year++)
            for (var quarter = 1; quarter <= 4; quarter++) grid[year, quarter] = $"{year}Q{quarter}";
        return grid;
    }

    /// <summary>What a tensor of four dimensions holds, in order.</summary>
    public static string Flatten(object?[,,,] tensor) => string.Join(",", tensor.Cast<object?>());
}
