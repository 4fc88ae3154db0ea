using System.Collections;
using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;

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

/// <summary>An instrument's key: a record, so its hash code is its string's, which differs from process to process.</summary>
public sealed record Ticker(string Symbol);

/// <summary>
/// A user's own dictionary made with a comparer and no constructor without parameters: Hyperion wrote it as its
/// entries and could not rebuild it.
/// </summary>
public sealed class Quotes(IEqualityComparer<string> comparer) : IDictionary<string, decimal>
{
    private readonly Dictionary<string, decimal> _prices = new(comparer);
    public decimal this[string key] { get => _prices[key]; set => _prices[key] = value; }
    public ICollection<string> Keys => _prices.Keys;
    public ICollection<decimal> Values => _prices.Values;
    public int Count => _prices.Count;
    public bool IsReadOnly => false;
    public void Add(string key, decimal value) => _prices.Add(key, value);
    public void Add(KeyValuePair<string, decimal> item) => _prices.Add(item.Key, item.Value);
    public void Clear() => _prices.Clear();
    public bool Contains(KeyValuePair<string, decimal> item) => ((ICollection<KeyValuePair<string, decimal>>)_prices).Contains(item);
    public bool ContainsKey(string key) => _prices.ContainsKey(key);
    public void CopyTo(KeyValuePair<string, decimal>[] array, int index) => ((ICollection<KeyValuePair<string, decimal>>)_prices).CopyTo(array, index);
    public IEnumerator<KeyValuePair<string, decimal>> GetEnumerator() => _prices.GetEnumerator();
    public bool Remove(string key) => _prices.Remove(key);
    public bool Remove(KeyValuePair<string, decimal> item) => ((ICollection<KeyValuePair<string, decimal>>)_prices).Remove(item);
    public bool TryGetValue(string key, out decimal value) => _prices.TryGetValue(key, out value);
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// A collection that only a worker process can make (as one whose constructor needs a file or a setting that only one
/// side has): written by a worker, it cannot be read back by the caller.
/// </summary>
public sealed class MadeByWorkersOnly : List<int>
{
    public MadeByWorkersOnly()
    {
        if (!InWorker) throw new InvalidOperationException("a MadeByWorkersOnly can be made on a worker only");
    }

    public static bool InWorker => AppDomain.CurrentDomain.FriendlyName.Contains("clusterpool-worker");
}

/// <summary>The other way round: written by the caller, it cannot be read by a worker.</summary>
public sealed class MadeByCallersOnly : List<int>
{
    public MadeByCallersOnly()
    {
        if (MadeByWorkersOnly.InWorker) throw new InvalidOperationException("a MadeByCallersOnly cannot be made on a worker");
    }
}

/// <summary>Functions over the values a financial batch sends: each must arrive as it left.</summary>
public static class ValueFunctions
{
    public static bool HasAapl(Dictionary<string, decimal> prices) => prices.ContainsKey("aapl");

    public static bool SetHasAapl(HashSet<string> tickers) => tickers.Contains("aapl");

    public static Dictionary<string, decimal> Prices(int _) => new(StringComparer.OrdinalIgnoreCase) { ["AAPL"] = 189.25m };

    public static SortedSet<string> Descending(int _) => new(new ReverseOrdinal()) { "a", "c", "b" };

    public static int Length(Node head) => head.Length();

    /// <summary>A universe big enough that the frozen set looks its members up by hash code.</summary>
    public static FrozenSet<Ticker> Universe(int size) => Enumerable.Range(0, size).Select(i => new Ticker($"T{i}")).ToFrozenSet();

    public static bool InUniverse(FrozenSet<Ticker> universe) => universe.Contains(new Ticker("T7"));

    public static FrozenDictionary<string, decimal> FrozenPrices(int _) =>
        new Dictionary<string, decimal> { ["AAPL"] = 189.25m }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    public static decimal QuoteOf(Quotes quotes) => quotes["aapl"];

    public static Quotes MakeQuotes(int _) => new(StringComparer.OrdinalIgnoreCase) { ["AAPL"] = 189.25m };

    public static string Json(JsonObject json) => json.ToJsonString();

    public static object Unreadable(int i) => i == 1 ? new MadeByWorkersOnly { 1 } : i;

    public static int Number(object value) => value is int i ? i : -1;

    public static object? MakeJson(int i) => i == 1 ? new JsonObject { ["px"] = 1.10m, ["legs"] = new JsonArray(1, 2) } : i;

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
