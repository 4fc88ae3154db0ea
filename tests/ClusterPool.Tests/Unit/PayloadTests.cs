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
