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
}
