using ClusterPool.Contracts.Serialization;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class PayloadTests
{
    [Fact]
    public void PlainDataRoundTrips()
    {
        object?[] value = [3, "c", 2.5, null, (1, "a"), new List<long> { 1, 2 }];
        var back = PayloadSerializer.Deserialize<object?[]>(PayloadSerializer.Serialize(value, "test"), "test");
        Assert.Equal(value, back);
    }

    [Theory]
    [InlineData(typeof(MemoryStream))]
    [InlineData(typeof(Thread))]
    [InlineData(typeof(Func<int>))]
    public void LiveProcessStateIsRefusedNamingTheType(Type type)
    {
        object value = type == typeof(MemoryStream) ? new MemoryStream()
            : type == typeof(Thread) ? new Thread(() => { })
            : new Func<int>(() => 1);
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new object[] { 1, value }, "the arguments"));
        Assert.Contains(type.Name.Split('`')[0], error.Message);
    }

    [Fact]
    public void TheTooLargeErrorNamesBothSizesAndTheSetting()
    {
        var error = new FrameBudget(128_000).TooLarge("the result of item 7", 1_000_123);
        Assert.Contains("1,000,123 bytes", error.Message);
        Assert.Contains("111,616 bytes", error.Message);
        Assert.Contains("maximum-frame-size", error.Message);
    }

    public static TheoryData<Array> PrimitiveArrays() =>
    [
        new long[] { 0, -1, long.MaxValue, long.MinValue }, new int[] { 1, -2, 3 }, new double[] { 0.5, double.NaN, -0.0 },
        new decimal[] { 1.10m, -79228162514264337593543950335m }, new bool[] { true, false }, new char[] { 'a', '\uD800' },
        new DateTime[] { new(2026, 12, 2, 1, 2, 3, DateTimeKind.Utc), new(2026, 1, 1, 0, 0, 0, DateTimeKind.Local) },
        new Guid[] { Guid.NewGuid() }, new TimeSpan[] { TimeSpan.FromTicks(-7) }, new byte[0], new float[] { 1.5f },
    ];

    /// <summary>Map's typed arrays skip Hyperion (raw bytes) and come back equal, with their element type, kind and scale.</summary>
    [Theory]
    [MemberData(nameof(PrimitiveArrays))]
    public void ArraysOfPrimitiveValuesRoundTripAsRawBytes(Array value)
    {
        var bytes = PayloadSerializer.Serialize(value, "test");
        var back = PayloadSerializer.Deserialize<Array>(bytes, "test");
        Assert.Equal(value.GetType(), back.GetType());
        Assert.Equal(value.Cast<object>(), back.Cast<object>());
        if (value is DateTime[] times) Assert.Equal(times.Select(t => t.Kind), ((DateTime[])back).Select(t => t.Kind));
        if (value is decimal[] amounts) Assert.Equal(amounts.Select(a => a.Scale), ((decimal[])back).Select(a => a.Scale));
        Assert.Equal(6 + value.Length * ElementSize(value), bytes.Length); // a 6-byte header, then the elements' bytes
    }

    /// <summary>
    /// Inside a payload (a Map item's record, StarMap's argument list, a list of arrays) the same arrays travel as one
    /// block of bytes each, and come back equal, with their element type, kind and scale, and shared where they were
    /// shared.
    /// </summary>
    [Theory]
    [MemberData(nameof(PrimitiveArrays))]
    public void ArraysOfPrimitiveValuesInsideAPayloadRoundTrip(Array value)
    {
        object?[] payload = [value, "between", value, new List<Array> { value }, new Holder(value, null)];
        var back = PayloadSerializer.Deserialize<object?[]>(PayloadSerializer.Serialize(payload, "test"), "test");
        var array = Assert.IsAssignableFrom<Array>(back[0]);
        Assert.Equal(value.GetType(), array.GetType());
        Assert.Equal(value.Cast<object>(), array.Cast<object>());
        if (value is DateTime[] times) Assert.Equal(times.Select(t => t.Kind), ((DateTime[])array).Select(t => t.Kind));
        if (value is decimal[] amounts) Assert.Equal(amounts.Select(a => a.Scale), ((decimal[])array).Select(a => a.Scale));
        Assert.Equal("between", back[1]);
        Assert.Same(array, back[2]);
        Assert.Same(array, Assert.Single((List<Array>)back[3]!));
        var holder = Assert.IsType<Holder>(back[4]);
        Assert.Same(array, holder.Values);
        Assert.Null(holder.None);
    }

    /// <summary>Matrices of primitive values (two dimensions, and more, which Hyperion could not send at all) travel as
    /// one block too, with their shape and lower bounds.</summary>
    [Fact]
    public void MatricesOfPrimitiveValuesRoundTrip()
    {
        var matrix = new double[,] { { 1.5, 2 }, { double.NaN, -4 }, { 5, 6 } };
        var cube = new long[2, 1, 3, 2];
        for (var i = 0; i < cube.Length; i++) cube[i / 6, 0, i / 2 % 3, i % 2] = i * 11;
        var shifted = Array.CreateInstance(typeof(int), [2, 2], [1990, -1]);
        shifted.SetValue(7, 1991, 0);
        object[] payload = [matrix, cube, shifted, new Holder(matrix, new decimal[0, 3])];
        foreach (var value in new object[] { payload, matrix })
            Assert.Equal(Show(value), Show(PayloadSerializer.Deserialize<object>(PayloadSerializer.Serialize(value, "test"), "test")));
        var back = PayloadSerializer.Deserialize<object[]>(PayloadSerializer.Serialize(payload, "test"), "test");
        Assert.Same(back[0], ((Holder)back[3]).Values);
        Assert.Equal(7, ((Array)back[2]).GetValue(1991, 0));
    }

    /// <summary>
    /// Arrays of other values than primitive ones, in every shape but <c>T[]</c>: Hyperion read a matrix back counted
    /// from 0 whatever its lower bounds, a <c>T[*]</c> as a <c>T[]</c>, and one of four dimensions not at all.
    /// </summary>
    [Fact]
    public void ArraysOfOtherValuesKeepTheirShapeAndLowerBounds()
    {
        var grid = Array.CreateInstance(typeof(string), [2, 3], [1990, -1]);
        grid.SetValue("Q4", 1991, 1);
        var four = new string?[1, 2, 1, 2];
        four[0, 1, 0, 1] = "x";
        var fromOne = Array.CreateInstance(typeof(string), [3], [1]);
        fromOne.SetValue("s", 2);
        var countsFromOne = Array.CreateInstance(typeof(int), [3], [1]);
        countsFromOne.SetValue(5, 2);
        var cube = new object?[2, 2, 2];
        (cube[0, 0, 1], cube[1, 1, 1], cube[1, 0, 0]) = (3, grid, 2.5m);
        object[] payload = [grid, four, fromOne, countsFromOne, cube, new Holder(four, grid)];
        foreach (var value in payload.Append(payload))
            Assert.Equal(Show(value), Show(PayloadSerializer.Deserialize<object>(PayloadSerializer.Serialize(value, "test"), "test")));
        var back = PayloadSerializer.Deserialize<object[]>(PayloadSerializer.Serialize(payload, "test"), "test");
        Assert.Equal("Q4", ((Array)back[0]).GetValue(1991, 1));
        Assert.Same(back[0], ((object?[,,])back[4])[1, 1, 1]);
        Assert.Same(back[1], ((Holder)back[5]).Values);
    }

    /// <summary>
    /// Shapes at the edges: a <c>T[*]</c> counted from 0 (it stays a <c>T[*]</c>), and a last dimension that ends at
    /// int.MaxValue (counting its index past it overflowed).
    /// </summary>
    [Fact]
    public void ArraysAtTheEdgesOfTheirShapesRoundTrip()
    {
        var fromZero = Array.CreateInstanceFromArrayType(typeof(string).MakeArrayType(1), [2], [0]);
        fromZero.SetValue("z", 1);
        var atTheEnd = Array.CreateInstance(typeof(string), [2, 1], [0, int.MaxValue]);
        atTheEnd.SetValue("end", 1, int.MaxValue);
        foreach (var value in new object[] { fromZero, atTheEnd })
            Assert.Equal(Show(value), Show(PayloadSerializer.Deserialize<object>(PayloadSerializer.Serialize(value, "test"), "test")));
    }

    /// <summary>A damaged or crafted shape that asks for more elements than the payload holds is refused before an
    /// array that large is made (ten bytes asked for 17 GB).</summary>
    [Fact]
    public void AShapeLargerThanItsPayloadIsDamagedNotAllocated()
    {
        var bytes = PayloadSerializer.Serialize(new string[1, 1] { { "a" } }, "test");
        byte[] shape = [1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        var at = bytes.AsSpan().IndexOf(shape);
        Assert.True(at > 0, "the shape was not found in the payload");
        BitConverter.TryWriteBytes(bytes.AsSpan(at), 46_340);
        BitConverter.TryWriteBytes(bytes.AsSpan(at + 8), 46_340);
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Deserialize<object>(bytes, "test"));
        Assert.Contains("46340 x 46340 elements is damaged", error.Message);
    }

    /// <summary>
    /// A field of type nint in the application's own record: Hyperion drops such a field (it arrived as 0), so the
    /// record is refused, naming the field; .NET's own exceptions, whose pointer fields are the runtime's, still cross.
    /// </summary>
    [Fact]
    public void ARecordWithANativeIntegerFieldIsRefusedNamingTheField()
    {
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new WithOffset("a", 5), "test"));
        Assert.Contains("has a field Offset of type nint, whose value would arrive as 0", error.Message);
        Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.ArgumentBytes(new object[] { new WithOffset("a", 5) }));
        var back = PayloadSerializer.Deserialize<object>(PayloadSerializer.Serialize(new InvalidOperationException("boom"), "test"), "test");
        Assert.Equal("boom", Assert.IsType<InvalidOperationException>(back).Message);
    }

    /// <summary>A record of a user's with a native-sized integer.</summary>
    public sealed record WithOffset(string Name, nint Offset);

    /// <summary>
    /// .NET's own types that hold a native handle (a weak reference's GC handle) are refused: sent field by field, the
    /// handle arrived as 0 and the first garbage collection in the process that read it crashed it (SIGSEGV). A
    /// fixed-size buffer of the user's arrived with its first element only. Cultures cross by name.
    /// </summary>
    [Fact]
    public void NativeHandlesAndFixedBuffersAreRefusedAndCulturesCrossByName()
    {
        var weak = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new WeakReference<string>("a"), "test"));
        Assert.Contains("System.WeakReference<System.String> holds a native handle or pointer", weak.Message);
        Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new object[] { 1, new WeakReference(null) }, "test"));
        var curve = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new Curve(), "test"));
        Assert.Contains("has a fixed-size buffer Points (4 elements), of which only the first would arrive", curve.Message);

        var comparer = StringComparer.Create(System.Globalization.CultureInfo.InvariantCulture, ignoreCase: true);
        var table = new Dictionary<string, int>(comparer) { ["ab"] = 1 };
        var bytes = PayloadSerializer.Serialize(new object[] { table, System.Globalization.CultureInfo.InvariantCulture.CompareInfo }, "test");
        Assert.True(bytes.Length < 400, $"{bytes.Length} bytes: written field by field"); // by name: a few bytes
        var back = PayloadSerializer.Deserialize<object[]>(bytes, "test");
        Assert.True(Assert.IsType<Dictionary<string, int>>(back[0]).ContainsKey("AB"));
        Assert.Equal(System.Globalization.CultureInfo.InvariantCulture.CompareInfo, back[1]);
    }

    /// <summary>
    /// Collections keep their comparers: an immutable, concurrent or read-only dictionary made case-insensitive came
    /// back case-sensitive, a sorted list or set made descending came back ascending, silently. Those that keep their
    /// entries by this process's hash codes (Hashtable, an ILookup) are refused, as is a user's subclass of a
    /// collection whose own fields would have arrived empty.
    /// </summary>
    [Fact]
    public void CollectionsKeepTheirComparersAndThoseThatCannotAreRefused()
    {
        var caseless = StringComparer.OrdinalIgnoreCase;
        var descending = new Descending();
        object[] values =
        [
            System.Collections.Immutable.ImmutableDictionary.Create<string, decimal>(caseless).Add("AAPL", 1.10m),
            System.Collections.Immutable.ImmutableHashSet.Create(caseless, "AAPL"),
            System.Collections.Immutable.ImmutableSortedSet.Create(descending, "A", "B"),
            System.Collections.Immutable.ImmutableSortedDictionary.Create<string, int>(descending).Add("A", 1).Add("B", 2),
            new System.Collections.Concurrent.ConcurrentDictionary<string, int>(caseless) { ["AAPL"] = 1 },
            new SortedList<string, int>(descending) { ["A"] = 1, ["B"] = 2 },
            new Dictionary<string, int>(caseless) { ["AAPL"] = 1 }.AsReadOnly(),
            new OrderedDictionary<string, int>(caseless) { ["AAPL"] = 1, ["MSFT"] = 2 },
        ];
        var back = PayloadSerializer.Deserialize<object[]>(PayloadSerializer.Serialize(values, "test"), "test");
        Assert.Equal(1.10m, ((System.Collections.Immutable.ImmutableDictionary<string, decimal>)back[0])["aapl"]);
        Assert.Equal("1.10", $"{((System.Collections.Immutable.ImmutableDictionary<string, decimal>)back[0])["aapl"]}");
        Assert.Contains("aapl", (System.Collections.Immutable.ImmutableHashSet<string>)back[1]);
        Assert.Equal(["B", "A"], (System.Collections.Immutable.ImmutableSortedSet<string>)back[2]);
        Assert.Equal(["B", "A"], ((System.Collections.Immutable.ImmutableSortedDictionary<string, int>)back[3]).Keys);
        Assert.True(((System.Collections.Concurrent.ConcurrentDictionary<string, int>)back[4]).ContainsKey("aapl"));
        Assert.Equal(["B", "A"], ((SortedList<string, int>)back[5]).Keys);
        Assert.True(((System.Collections.ObjectModel.ReadOnlyDictionary<string, int>)back[6]).ContainsKey("aapl"));
        Assert.Equal(["AAPL", "MSFT"], ((OrderedDictionary<string, int>)back[7]).Keys);
        Assert.True(((OrderedDictionary<string, int>)back[7]).ContainsKey("msft"));

        var table = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new System.Collections.Hashtable { ["a"] = 1 }, "test"));
        Assert.Contains("System.Collections.Hashtable keeps its entries by this process's hash codes", table.Message);
        var lookup = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new[] { "a" }.ToLookup(x => x), "test"));
        Assert.Contains("(an ILookup, from ToLookup)", lookup.Message);
        var prices = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new PriceTable { Source = "LSEG" }, "test"));
        Assert.Contains("own fields (Source) would arrive empty", prices.Message);
        // rebuilt by its constructor that takes the items: its Desk arrived null
        var quotes = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new DeskQuotes("rates", [1.5m]), "test"));
        Assert.Contains("own fields (Desk) would arrive empty", quotes.Message);
        var unbuildable = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new SourcedPrices("LSEG"), "test"));
        Assert.Contains("derives from System.Collections.Generic.Dictionary<System.String, System.Decimal>, which travels as its entries and is rebuilt by a constructor without parameters and Add, and it has none", unbuildable.Message);
        // Two Adds: "Ambiguous match" when sent, and the next one sent hung for ever; it crosses field by field.
        for (var i = 0; i < 2; i++)
        {
            var sending = Task.Run(() => PayloadSerializer.Deserialize<Basket>(PayloadSerializer.Serialize(new Basket { 1, "2" }, "test"), "test"));
            Assert.True(sending.Wait(TimeSpan.FromSeconds(10)), "the basket was not sent within 10 s");
            Assert.Equal([1, 2], sending.Result);
        }
        var tagged = Task.Run(() => PayloadSerializer.Deserialize<TaggedPrices>(PayloadSerializer.Serialize(new TaggedPrices { "AAPL" }, "test"), "test"));
        Assert.True(tagged.Wait(TimeSpan.FromSeconds(10)), "the prices were not sent within 10 s");
        Assert.Equal(new[] { 0m }, tagged.Result.ToArray());
        var blocking = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new System.Collections.Concurrent.BlockingCollection<int>(), "test"));
        Assert.Contains("is rebuilt by its one method named Add, and it has several", blocking.Message);
        var plain = PayloadSerializer.Deserialize<Tickers>(PayloadSerializer.Serialize(new Tickers { "SPX" }, "test"), "test");
        Assert.Equal(["SPX"], plain); // a subclass that adds nothing still crosses
    }

    /// <summary>
    /// A NameValueCollection arrives with its comparer (the default one is case-insensitive), its keys in order (a null
    /// one too) and each key's values: Hyperion failed with "Ambiguous match found for ... Add", and the next one sent
    /// from the same process hung.
    /// </summary>
    [Fact]
    public void ANameValueCollectionArrivesWithItsComparerKeysAndValues()
    {
        var query = new System.Collections.Specialized.NameValueCollection { ["Ticker"] = "AAPL", [null] = "all" };
        query.Add("Field", "Px");
        query.Add("field", "Vol");
        query.Set("Empty", null);
        query.Add("None", null);
        var exact = new System.Collections.Specialized.NameValueCollection(StringComparer.Ordinal) { ["A"] = "1", ["a"] = "2" };
        for (var i = 0; i < 2; i++)
        {
            var back = PayloadSerializer.Deserialize<object[]>(PayloadSerializer.Serialize(new object[] { query, exact, query }, "test"), "test");
            var nvc = Assert.IsType<System.Collections.Specialized.NameValueCollection>(back[0]);
            Assert.Equal(["Ticker", "(null)", "Field", "Empty", "None"], nvc.AllKeys.Select(key => key ?? "(null)"));
            Assert.Equal("AAPL", nvc["ticker"]);
            Assert.Equal(["Px", "Vol"], nvc.GetValues("FIELD")!);
            Assert.Equal("all", nvc[null]);
            Assert.Null(Assert.Single(nvc.GetValues("Empty")!)); // Set(key, null)
            Assert.Null(nvc.GetValues("None")); // Add(key, null): a key without values
            var ordinal = Assert.IsType<System.Collections.Specialized.NameValueCollection>(back[1]);
            Assert.Equal(("1", "2", 2), (ordinal["A"], ordinal["a"], ordinal.Count));
            Assert.Same(nvc, back[2]);
        }
        Assert.NotEmpty(PayloadSerializer.ArgumentBytes(new object[] { query }));
        var headers = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new System.Net.WebHeaderCollection { ["A"] = "1" }, "test"));
        Assert.Contains("System.Net.WebHeaderCollection derives from NameValueCollection", headers.Message);
    }

    /// <summary>
    /// ADO.NET's tables and inline arrays are refused naming the type and what to send: a DataTable failed with
    /// "Ambiguous match found for 'System.Data.DataRelationCollection Void Add'", an inline array (or a record
    /// holding one) with "Calling built-in Equals() or GetHashCode() on type marked as InlineArray is invalid", and in
    /// a class it arrived with its first element only.
    /// </summary>
    [Fact]
    public void TablesAndInlineArraysAreRefusedNamingTheTypeAndWhatToSend()
    {
        var table = new System.Data.DataTable("quotes");
        table.Columns.Add("Ticker", typeof(string));
        table.Rows.Add("AAPL");
        var set = new System.Data.DataSet();
        set.Tables.Add(table);
        foreach (var (value, type) in new (object, string)[] { (table, "System.Data.DataTable"), (set, "System.Data.DataSet") })
        {
            var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new object[] { value }, "the arguments"));
            Assert.Contains($"type {type} is ADO.NET's in-memory data", error.Message);
            Assert.Contains("send the rows as plain data", error.Message);
        }
        Assert.Equal(System.Data.DataRowState.Added, PayloadSerializer.Deserialize<object>(PayloadSerializer.Serialize(System.Data.DataRowState.Added, "test"), "test"));

        var quarters = new Quarters();
        quarters[0] = 1.10m;
        quarters[3] = 1.40m;
        foreach (var value in new object[] { quarters, new Forecast("AAPL", quarters), new ForecastBox { Eps = quarters } })
        {
            var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(new object[] { value }, "the arguments"));
            Assert.Contains($"type {typeof(Quarters).FullName} is an inline array ([InlineArray(4)] of System.Decimal), of which only the first element would arrive: make it an array (System.Decimal[])", error.Message);
            Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Serialize(value, "the result"));
        }
    }

    [System.Runtime.CompilerServices.InlineArray(4)]
    public struct Quarters { private decimal _first; }

    public sealed record Forecast(string Ticker, Quarters Eps);

    public sealed class ForecastBox { public Quarters Eps; }

    /// <summary>
    /// The same arguments hash alike (a checkpoint's resume) even where a collection's order follows hash codes, which
    /// differ from process to process for strings: an item holding an ImmutableHashSet of strings never resumed. Shown
    /// with two ConcurrentDictionaries of the same entries whose bucket counts, and so orders, differ.
    /// </summary>
    [Fact]
    public void ArgumentsWhoseCollectionsAreInHashOrderHashAlike()
    {
        var keys = Enumerable.Range(0, 200).Select(i => $"T{i * 7919 % 1000}").ToList();
        var small = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(1, 31);
        var large = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(1, 4099);
        foreach (var key in keys) { small[key] = 1; large[key] = 1; }
        Assert.NotEqual(small.Keys, large.Keys); // the same entries in two orders
        Assert.Equal(PayloadSerializer.ArgumentBytes(new object[] { small }), PayloadSerializer.ArgumentBytes(new object[] { large }));
        var set = System.Collections.Immutable.ImmutableHashSet.CreateRange(keys);
        var back = PayloadSerializer.Deserialize<object[]>(PayloadSerializer.ArgumentBytes(new object[] { set }), "test");
        Assert.True(set.SetEquals((System.Collections.Immutable.ImmutableHashSet<string>)back[0]));
    }

    /// <summary>A user's dictionary with a field of its own.</summary>
    public sealed class PriceTable : Dictionary<string, decimal>
    {
        /// <summary>Where the prices come from.</summary>
        public string Source { get; set; } = "";
    }

    /// <summary>A user's dictionary that adds no field but has no constructor without parameters.</summary>
    public sealed class SourcedPrices(string source)
        : Dictionary<string, decimal>(source.Length > 0 ? StringComparer.Ordinal : null);

    /// <summary>A user's collection with two Adds.</summary>
    public sealed class Basket : IEnumerable<int>
    {
        private readonly List<int> _items = [];

        /// <summary>How many it holds.</summary>
        public int Count => _items.Count;

        /// <summary>Adds a number.</summary>
        public void Add(int item) => _items.Add(item);

        /// <summary>Adds a number written out.</summary>
        public void Add(string item) => _items.Add(int.Parse(item, System.Globalization.CultureInfo.InvariantCulture));

        /// <inheritdoc />
        public IEnumerator<int> GetEnumerator() => _items.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A user's collection of prices whose Add takes a ticker, not a price.</summary>
    public sealed class TaggedPrices : IEnumerable<decimal>
    {
        private readonly List<decimal> _prices = [];

        /// <summary>How many it holds.</summary>
        public int Count => _prices.Count;

        /// <summary>Adds a ticker's price (0 until known).</summary>
        public void Add(string ticker) => _prices.Add(ticker.Length > 0 ? 0m : -1m);

        /// <inheritdoc />
        public IEnumerator<decimal> GetEnumerator() => _prices.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    /// <summary>A user's comparer: Z first.</summary>
    public sealed class Descending : IComparer<string>
    {
        /// <inheritdoc />
        public int Compare(string? x, string? y) => string.CompareOrdinal(y, x);
    }

    /// <summary>A user's list that adds nothing.</summary>
    public sealed class Tickers : List<string>;

    /// <summary>A user's list with a field of its own and only a constructor that takes the items.</summary>
    public sealed class DeskQuotes(string desk, IEnumerable<decimal> quotes) : List<decimal>(quotes)
    {
        /// <summary>The desk that quoted.</summary>
        public string Desk { get; } = desk;

        /// <summary>The constructor Hyperion rebuilds the list with.</summary>
        public DeskQuotes(IEnumerable<decimal> quotes) : this("", quotes) { }
    }

    /// <summary>A struct of a user's with a fixed-size buffer.</summary>
    public unsafe struct Curve
    {
        /// <summary>The curve's points.</summary>
        public fixed double Points[4];
    }

    /// <summary>
    /// Matrices in Hyperion's own form (checkpoints written before protocol version 3 hold it) read back; the raw form
    /// read them as its own and failed ("Unable to read beyond the end of the stream").
    /// </summary>
    [Fact]
    public void MatricesInTheEarlierFormStillRead()
    {
        var grid = new string[,] { { "a", "b" }, { "c", "d" } };
        object[] payload = [new double[,] { { 1.5, 2 }, { 3, double.NaN } }, new long[2, 1, 2], grid, new Holder(grid, null)];
        var back = PayloadSerializer.Deserialize<object[]>(PayloadSerializer.ArgumentBytes(payload), "test");
        Assert.Equal(Show(payload), Show(back));
    }

    /// <summary>
    /// A payload as protocol version 3 (one build) wrote it: nested primitive arrays raw, under form 0. Its bytes
    /// were taken from that build: <c>["AAPL", double[] {1.5, -2.25}, matrix, Holder(DateTime[] {UnixEpoch},
    /// matrix)]</c>, the matrix <c>{{1.5, 2}, {NaN, -4}}</c> shared.
    /// </summary>
    [Fact]
    public void PayloadsOfProtocolVersion3StillRead()
    {
        var back = PayloadSerializer.Deserialize<object[]>(Convert.FromBase64String(Version3Payload), "test");
        var matrix = new double[,] { { 1.5, 2 }, { double.NaN, -4 } };
        object[] expected = ["AAPL", new double[] { 1.5, -2.25 }, matrix, new Holder(new DateTime[] { DateTime.UnixEpoch }, matrix)];
        Assert.Equal(Show(expected), Show(back));
        Assert.Same(back[2], ((Holder)back[3]).None);
    }

    /// <summary>
    /// Another payload of protocol version 3 (bytes from that build): a record holding a <c>bool[255]</c>,
    /// <c>[1]</c> true. Read by the earlier form's reader, its length's low byte (0xFF) says "a type name follows" and
    /// the zeros after it name the type "", which the type filter refuses: that refusal must not end the reading
    /// before protocol 3's reader has tried.
    /// </summary>
    [Fact]
    public void APayloadOfProtocolVersion3ThatTheEarlierReaderRefusesStillReads()
    {
        var back = PayloadSerializer.Deserialize<Holder>(Convert.FromBase64String(Version3Bools), "test");
        var values = Assert.IsType<bool[]>(back.Values);
        Assert.Equal(255, values.Length);
        Assert.Equal([1], Enumerable.Range(0, 255).Where(i => values[i]));
    }

    private const string Version3Bools =
        "AP89AAAAQ2x1c3RlclBvb2wuVGVzdHMuVW5pdC5QYXlsb2FkVGVzdHMrSG9sZGVyLCBDbHVzdGVyUG9vbC5UZXN0cwD/LwAAAFN5" +
        "c3RlbS5Cb29sZWFuW10sIFN5c3RlbS5Qcml2YXRlLkNvcmVMaWIsJWNvcmUl/wAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAA==";

    private const string Version3Payload =
        "AP8uAAAAU3lzdGVtLk9iamVjdFtdLCBTeXN0ZW0uUHJpdmF0ZS5Db3JlTGliLCVjb3JlJQQAAAAHAQQAAABBQVBM/y4AAABTeXN0" +
        "ZW0uRG91YmxlW10sIFN5c3RlbS5Qcml2YXRlLkNvcmVMaWIsJWNvcmUlAgAAAAAAAAAAAPg/AAAAAAAAAsD/LwAAAFN5c3RlbS5E" +
        "b3VibGVbLF0sIFN5c3RlbS5Qcml2YXRlLkNvcmVMaWIsJWNvcmUlAgAAAAAAAAACAAAAAAAAAAAAAAAAAPg/AAAAAAAAAEAAAAAA" +
        "AAD4/wAAAAAAABDA/z0AAABDbHVzdGVyUG9vbC5UZXN0cy5Vbml0LlBheWxvYWRUZXN0cytIb2xkZXIsIENsdXN0ZXJQb29sLlRl" +
        "c3Rz/QIAAAD/MAAAAFN5c3RlbS5EYXRlVGltZVtdLCBTeXN0ZW0uUHJpdmF0ZS5Db3JlTGliLCVjb3JlJQEAAAAAgLX39X+fSA==";

    /// <summary>What an array holds, with its type, shape and lower bounds; other values as they print.</summary>
    private static string Show(object? value) => value switch
    {
        Holder holder => $"Holder({Show(holder.Values)}, {Show(holder.None)})",
        object[] items => $"[{string.Join(", ", items.Select(Show))}]",
        Array array => $"{array.GetType()} " + string.Join("x", Enumerable.Range(0, array.Rank).Select(d => $"{array.GetLowerBound(d)}+{array.GetLength(d)}")) +
            $" {{{string.Join(", ", array.Cast<object>())}}}",
        _ => $"{value}",
    };

    /// <summary>
    /// Read back as one block: a record holding a million doubles costs the array and little more. Hyperion's own form
    /// boxed each element on the way in (24 MB here, and 17-30 ms a 2 MB array to write, 10-18 ms to read).
    /// </summary>
    [Fact]
    public void AnArrayInsideAPayloadIsReadWithoutAnObjectPerElement()
    {
        var bytes = PayloadSerializer.Serialize(new Holder(new double[1_000_000], new long[10]), "test");
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var back = PayloadSerializer.Deserialize<Holder>(bytes, "test");
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal(1_000_000, back.Values.Length);
        Assert.True(allocated < 12_000_000, $"reading 8 MB of doubles allocated {allocated:N0} bytes");
    }

    /// <summary>
    /// Payloads in Hyperion's own form, which checkpoints written before hold (and <see
    /// cref="PayloadSerializer.ArgumentBytes"/> still makes, for argument hashes), read back as they did.
    /// </summary>
    [Fact]
    public void PayloadsInTheEarlierFormStillRead()
    {
        object?[] payload = ["AAPL", new double[] { 1.5, double.NaN }, new Holder(new DateTime[] { DateTime.UnixEpoch }, null)];
        var earlier = PayloadSerializer.ArgumentBytes(payload);
        Assert.NotEqual(earlier, PayloadSerializer.Serialize(payload, "test"));
        var back = PayloadSerializer.Deserialize<object?[]>(earlier, "test");
        Assert.Equal("AAPL", back[0]);
        Assert.Equal([1.5, double.NaN], (double[])back[1]!);
        Assert.Equal([DateTime.UnixEpoch], (DateTime[])((Holder)back[2]!).Values);
    }

    /// <summary>
    /// A checkpoint matches an item to its stored result by a hash of its arguments: these hashes are those the
    /// versions before nested arrays travelled raw computed (taken from that build), so a run resumed after an upgrade
    /// finds its items done instead of running them again.
    /// </summary>
    [Fact]
    public void ArgumentHashesAreThoseOfEarlierVersions()
    {
        object[] starMapArguments = ["AAPL", new double[] { 1.5, -2.25, double.NaN },
            new DateTime[] { new(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc) }, new List<double[]> { new[] { 3.0 } }];
        Assert.Equal(unchecked((long)0xE586E671F8D5899B), Checkpoints.CheckpointedCall.HashOf(starMapArguments));
        Assert.Equal(unchecked((long)0xB17128C96260A27A), Checkpoints.CheckpointedCall.HashOf(("T", new decimal[] { 1.10m, -3m }, new long[] { 7 })));
    }

    /// <summary>A record of a user's, holding an array.</summary>
    public sealed record Holder(Array Values, Array? None);

    /// <summary>
    /// A local time in the hour a clock goes back keeps which of the two it is (.NET's bit for "the daylight-saving
    /// one", which ToUniversalTime reads): Hyperion wrote ticks and Kind only, and in New York 01:30 EDT came back as
    /// 01:30 EST, an hour off once made universal. Made here from its bits, as the machine's zone may have no such hour.
    /// </summary>
    [Fact]
    public void ALocalTimeInTheHourTheClockGoesBackKeepsWhichOfTheTwoItIs()
    {
        Assert.True(PayloadSerializer.DateTimesExact);
        var bits = (ulong)new DateTime(2024, 11, 3, 1, 30, 0).Ticks | (3UL << 62);
        var ambiguous = System.Runtime.CompilerServices.Unsafe.As<ulong, DateTime>(ref bits);
        object[] value = [ambiguous, new List<DateTime> { ambiguous }, (ambiguous, 1), DateTime.UtcNow, DateTime.Now,
            new DateTime(5, DateTimeKind.Unspecified)];
        foreach (var bytes in new[] { PayloadSerializer.Serialize(value, "test"), PayloadSerializer.ArgumentBytes(value) })
        {
            var back = PayloadSerializer.Deserialize<object[]>(bytes, "test");
            ulong Bits(object time) { var t = (DateTime)time; return System.Runtime.CompilerServices.Unsafe.As<DateTime, ulong>(ref t); }
            Assert.Equal(bits, Bits(back[0]));
            Assert.Equal(bits, Bits(((List<DateTime>)back[1])[0]));
            Assert.Equal(bits, Bits((((DateTime, int))back[2]).Item1));
            Assert.Equal(value[3..].Select(Bits), back[3..].Select(Bits));
        }
    }

    /// <summary>A lone surrogate (half a UTF-16 pair) is text .NET allows; it must not come back as U+FFFD, anywhere in a payload.</summary>
    [Fact]
    public void StringsComeBackExactlyEvenWithALoneSurrogate()
    {
        Assert.True(PayloadSerializer.StringsExact);
        var odd = "AAPL \uD800 ünïcode";
        object?[] value = [odd, new List<string> { odd, "plain" }, new Dictionary<string, string> { [odd] = odd }, (odd, 1), null, ""];
        var back = PayloadSerializer.Deserialize<object?[]>(PayloadSerializer.Serialize(value, "test"), "test");
        Assert.Equal(odd, back[0]);
        Assert.Equal([odd, "plain"], (List<string>)back[1]!);
        Assert.Equal(odd, ((Dictionary<string, string>)back[2]!)[odd]);
        Assert.Equal((odd, 1), back[3]);
        Assert.Null(back[4]);
        Assert.Equal("", back[5]);
    }

    [Fact]
    public void OtherArraysStillTravelThroughHyperion()
    {
        string?[] strings = ["a", null];
        Assert.Equal(strings, PayloadSerializer.Deserialize<Array>(PayloadSerializer.Serialize(strings, "test"), "test"));
        var matrix = new long[2, 2] { { 1, 2 }, { 3, 4 } };
        Assert.Equal(matrix, PayloadSerializer.Deserialize<Array>(PayloadSerializer.Serialize(matrix, "test"), "test"));
    }

    [Fact]
    public void ADamagedOrForeignPayloadIsAClearError()
    {
        var raw = PayloadSerializer.Serialize(new long[] { 1, 2 }, "test");
        var error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Deserialize<Array>(raw[..^1], "the results"));
        Assert.Contains("the results could not be read back", error.Message);
        Assert.Contains("not 2 elements", error.Message);
        error = Assert.Throws<PayloadSerializationException>(() => PayloadSerializer.Deserialize<Array>([9, 1, 2], "the results"));
        Assert.Contains("form 9 is unknown", error.Message);
    }

    private static int ElementSize(Array value) => value switch
    {
        decimal[] or Guid[] => 16,
        DateTime[] or TimeSpan[] => 8,
        _ => Buffer.ByteLength(value) / Math.Max(1, value.Length), // the primitive types
    };
}
