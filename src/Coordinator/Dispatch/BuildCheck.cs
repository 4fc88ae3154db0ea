using ClusterPool.Contracts.Messages;

namespace ClusterPool.Dispatch;

/// <summary>Registration's build check: two processes run the same code only when their assemblies' builds
/// agree.</summary>
internal static class BuildCheck
{
    /// <summary>A worker that runs another build of an assembly this process also runs would compute other results:
    /// refuse it.</summary>
    public static string? Mismatch(RegisterSlots register)
    {
        foreach (var build in register.Build)
        {
            var mine = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(
                a => a.GetName().Name == build.AssemblyName);
            if (mine is not null && mine.ManifestModule.ModuleVersionId != build.ModuleVersionId)
                return $"it runs {build}, this coordinator runs build {mine.ManifestModule.ModuleVersionId} of " +
                    $"{build.AssemblyName}; " +
                       "copy the coordinator's build output to that machine";
        }
        return null;
    }
}
