using Xunit;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>A theory that runs only where the test can make SSH machines (<see cref="SshdFactAttribute"/>).</summary>
public sealed class SshdTheoryAttribute : TheoryAttribute
{
    public SshdTheoryAttribute() => Skip = SshdFactAttribute.WhyNot();
}
