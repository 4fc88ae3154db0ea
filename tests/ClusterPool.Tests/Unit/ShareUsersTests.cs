using System.Diagnostics;
using ClusterPool.Contracts.Sharing;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>Which processes use a machine's copy of a shared value: markers named by pid and start time.</summary>
public class ShareUsersTests
{
    [Fact]
    public void AProcessIsAliveUntilItEndsAndAReusedPidIsNotTakenForIt()
    {
        Assert.True(ShareUsers.IsAlive(ShareUsers.Me));
        using var other = Process.Start(new ProcessStartInfo("sleep", "30"))!;
        var name = ShareUsers.NameOf(other);
        Assert.True(ShareUsers.IsAlive(name)); // read again from another process's view: the same start time
        Assert.False(ShareUsers.IsAlive($"{other.Id}-1")); // the same pid, started at another time
        other.Kill();
        other.WaitForExit();
        Assert.False(ShareUsers.IsAlive(name));
    }

    [Fact]
    public void TheLastUserToLeaveDeletesTheFileAndADeadUsersMarkerDoesNotKeepIt()
    {
        var folder = Directory.CreateTempSubdirectory("cp-users-").FullName;
        try
        {
            var file = Path.Combine(folder, new string('a', 64));
            File.WriteAllBytes(file, [1, 2, 3]);
            using var other = Process.Start(new ProcessStartInfo("sleep", "30"))!;
            File.WriteAllBytes($"{file}.{ShareUsers.NameOf(other)}.user", []);
            File.WriteAllBytes($"{file}.{other.Id}-1.user", []); // a dead process's
            ShareUsers.Join(file);
            ShareUsers.Leave(file);
            Assert.True(File.Exists(file)); // the sleeping process still uses it
            other.Kill();
            other.WaitForExit();
            ShareUsers.Leave(file);
            Assert.False(File.Exists(file));
            Assert.Empty(Directory.GetFiles(folder, "*.user"));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    [Fact]
    public void AFolderForSharedValuesThatOthersCanOpenOrThatIsALinkIsRefused()
    {
        if (OperatingSystem.IsWindows()) return;
        var root = Directory.CreateTempSubdirectory("cp-folder-").FullName;
        try
        {
            var open = Path.Combine(root, "open");
            Directory.CreateDirectory(open);
            File.SetUnixFileMode(open, (UnixFileMode)0b111_111_111); // as another user could leave it in /dev/shm
            Assert.Contains("open to other users", Assert.Throws<IOException>(() => SharedFolder.Make(open)).Message);
            var link = Path.Combine(root, "link");
            Directory.CreateSymbolicLink(link, open);
            Assert.Contains("is a link", Assert.Throws<IOException>(() => SharedFolder.Make(link)).Message);
            var mine = Path.Combine(root, "mine");
            SharedFolder.Make(mine);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
                File.GetUnixFileMode(mine));
        }
        finally { Directory.Delete(root, recursive: true); }
    }
}
