using ClusterPool.Contracts.Messages;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>
/// An exception that could not cross whole is made again on the caller's side, as its own type where one of its
/// constructors gives it its message back, otherwise as a <see cref="RemoteTaskException"/>: never garbled.
/// </summary>
public class RemoteErrorsTests
{
    private static RemoteError Error(Type type, string message) =>
        new(ErrorKind.UserCode, type.AssemblyQualifiedName!, message, "   at Somewhere()", "host", 7);

    [Fact]
    public void ExceptionsWhoseOneStringIsANameComeBackWithTheirMessage()
    {
        // Their (string) constructor takes a parameter's or an object's name: the message became the name.
        foreach (var type in new[] { typeof(ArgumentOutOfRangeException), typeof(ArgumentNullException),
                     typeof(ObjectDisposedException) })
        {
            var rebuilt = RemoteErrors.Rebuild(Error(type, "must be below 3 (Parameter 'x')"), item: 4);
            Assert.IsType(type, rebuilt);
            Assert.Equal("must be below 3 (Parameter 'x')", rebuilt.Message);
            Assert.Equal(4L, rebuilt.Data["clusterpool.item"]);
        }
    }

    [Fact]
    public void AnExceptionNoConstructorGivesItsMessageBackIsARemoteTaskException()
    {
        // TypeInitializationException's (string, Exception) takes a type's name.
        var rebuilt = RemoteErrors.Rebuild(Error(typeof(TypeInitializationException),
            "The type initializer for 'Rates' threw an exception."));
        var remote = Assert.IsType<RemoteTaskException>(rebuilt);
        Assert.Equal("System.TypeInitializationException: The type initializer for 'Rates' threw an exception.",
            remote.Message);
    }

    [Fact]
    public void AUserExceptionWithAMessageConstructorComesBackAsItself()
    {
        var rebuilt = RemoteErrors.Rebuild(Error(typeof(OnlyAText), "ledger 3 does not balance"));
        Assert.Equal("ledger 3 does not balance", Assert.IsType<OnlyAText>(rebuilt).Message);
    }

    /// <summary>A user's exception whose one constructor names its string otherwise.</summary>
    public sealed class OnlyAText(string text) : Exception(text);
}
