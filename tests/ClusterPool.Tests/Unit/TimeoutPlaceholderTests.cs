using ClusterPool.Calls;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// <see cref="CallOptions.OnTimeout"/> of another type than the call's results: the item failed with "item 2's result
/// is a System.Int32, which this call's result type cannot hold", naming neither the option nor the type wanted.
/// </summary>
public class TimeoutPlaceholderTests
{
    private static readonly TaskTimeoutException Timeout = new("Prices.Fetch", 2, "(\"AAPL\")", TimeSpan.FromSeconds(1),
        workerRecycled: false);

    [Fact]
    public void APlaceholderOfTheWrongTypeFailsItsItemNamingTheOptionAndBothTypes()
    {
        var settings = TimeoutPlaceholder.Checked<double>(new CallSettings(TimeSpan.FromSeconds(1), _ => -1));
        var error = Assert.Throws<InvalidCastException>(() => settings.OnTimeout!(Timeout));
        Assert.Equal("CallOptions.OnTimeout gave a value of type Int32 for item 2 of Prices.Fetch, which timed out, but this call's " +
            "result type is Double: make it return a Double (or null for its default)", error.Message);
        Assert.Same(Timeout, error.InnerException);

        Assert.Equal(-1.0, TimeoutPlaceholder.Checked<double>(new CallSettings(TimeSpan.FromSeconds(1), _ => -1.0)).OnTimeout!(Timeout));
        Assert.Null(TimeoutPlaceholder.Checked<double>(new CallSettings(TimeSpan.FromSeconds(1), _ => null)).OnTimeout!(Timeout));
        Assert.Equal("x", TimeoutPlaceholder.Checked<object>(new CallSettings(TimeSpan.FromSeconds(1), _ => "x")).OnTimeout!(Timeout));
    }

    /// <summary>A method group declared to return what the call's results can never be is refused when the call is made.</summary>
    [Fact]
    public void APlaceholderMethodThatCanNeverGiveTheResultTypeIsRefusedWhenTheCallIsMade()
    {
        var error = Assert.Throws<ArgumentException>(() => TimeoutPlaceholder.Checked<int>(new CallSettings(TimeSpan.FromSeconds(1), Missing)));
        Assert.StartsWith("CallOptions.OnTimeout returns String, which this call's result type, Int32, cannot hold", error.Message);
        Assert.NotNull(TimeoutPlaceholder.Checked<string>(new CallSettings(TimeSpan.FromSeconds(1), Missing)).OnTimeout);
        Assert.NotNull(TimeoutPlaceholder.Checked<object>(new CallSettings(TimeSpan.FromSeconds(1), Missing)).OnTimeout);
        Assert.Same(CallSettings.Default, TimeoutPlaceholder.Checked<int>(CallSettings.Default));
    }

    private static string Missing(TaskTimeoutException e) => "n/a";
}
