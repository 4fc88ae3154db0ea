using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ClusterPool.Tests.EndToEnd;

/// <summary>Functions that say where they ran: on which "machine" (network namespace) and in which folder.</summary>
public static class HostFunctions
{
    /// <summary>The item, with the first address of this machine other than loopback (each namespace has its
    /// own).</summary>
    public static (int Item, string Machine) Where(int item) => (item, NetworkInterface.GetAllNetworkInterfaces()
        .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
        .SelectMany(n => n.GetIPProperties().UnicastAddresses)
        .Select(a => a.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork)
        .Select(a => a.ToString()).OrderBy(a => a).FirstOrDefault() ?? "none");

    /// <summary><see cref="Where"/> after 20 ms of work: every slot of the pool gets some.</summary>
    public static (int Item, string Machine) WhereSlowly(int item)
    {
        Thread.Sleep(20);
        return Where(item);
    }

    /// <summary>The folder the running app's assemblies were loaded from, and the runtime's.</summary>
    public static (string App, string Runtime) Folders(int _) =>
        (Path.GetDirectoryName(typeof(HostFunctions).Assembly.Location)!,
            System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory());
}
