using ClusterPool.Contracts.Launch;
using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

public class AppRuntimeSettingsTests
{
    [Fact]
    public void TheAppsSettingsBecomeTheVariablesDotnetReadsAndTheUsersOwnVariablesStay()
    {
        var app = new Dictionary<string, object?>
        {
            ["System.Runtime.TieredPGO"] = "false",
            ["System.GC.Server"] = true,
            ["System.Globalization.Invariant"] = "true",
            ["System.GC.Concurrent"] = "not a boolean",
        };
        var environment = new Dictionary<string, string?> { ["DOTNET_gcServer"] = "0" };

        AppRuntimeSettings.CopyTo(environment, name => app.GetValueOrDefault(name));

        Assert.Equal(new Dictionary<string, string?>
        {
            ["DOTNET_gcServer"] = "0", // the user's own, left as it is
            ["DOTNET_TieredPGO"] = "0",
            ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
        }, environment);
    }
}
