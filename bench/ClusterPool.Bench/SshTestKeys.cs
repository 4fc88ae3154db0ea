namespace ClusterPool.Bench;

/// <summary>
/// The client side of one test or bench run's SSH machines (<see cref="SshMachine"/>): a key pair of its own that every
/// machine made with it authorizes, and a known_hosts file that trusts only the machines the run vouched for
/// (<see cref="Trust"/>), so no run depends on, or changes, the user's ~/.ssh. The folder holding them is private
/// (0700, as ssh wants for a private key) and goes away on <see cref="Dispose"/>.
/// </summary>
internal sealed class SshTestKeys : IDisposable
{
    private readonly Lock _gate = new();

    public SshTestKeys()
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the SSH test keys are for Linux");
        Folder = Directory.CreateTempSubdirectory("clusterpool-ssh-keys-").FullName;
        try
        {
            File.SetUnixFileMode(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Programs.Check("ssh-keygen", ["-t", "ed25519", "-N", "", "-f", IdentityFile, "-q", "-C", "clusterpool"]);
            File.Copy(IdentityFile + ".pub", AuthorizedKeysFile);
            File.WriteAllText(KnownHostsFile, "");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The private folder that holds the keys and files below.</summary>
    public string Folder { get; }

    /// <summary>The client's private key (ed25519, no passphrase), for <c>ssh -i</c>.</summary>
    public string IdentityFile => Path.Combine(Folder, "id_ed25519");

    /// <summary>The hosts this run trusts (<c>ssh -o UserKnownHostsFile=</c>); empty at first.</summary>
    public string KnownHostsFile => Path.Combine(Folder, "known_hosts");

    /// <summary>The client's public key, which each machine made with these keys reads (AuthorizedKeysFile).</summary>
    public string AuthorizedKeysFile => Path.Combine(Folder, "authorized_keys");

    /// <summary>
    /// The options that make <c>ssh</c> use these keys and nothing else: this identity only, these known hosts only,
    /// checked strictly (an unknown or changed host key fails the connection), never a prompt, and a connection that
    /// is not made in 10 s fails.
    /// </summary>
    public IReadOnlyList<string> ClientOptions =>
    [
        "-i", IdentityFile,
        "-o", "IdentitiesOnly=yes",
        "-o", $"UserKnownHostsFile={KnownHostsFile}",
        "-o", "GlobalKnownHostsFile=/dev/null",
        "-o", "StrictHostKeyChecking=yes",
        "-o", "BatchMode=yes",
        "-o", "ConnectTimeout=10",
    ];

    /// <summary>A new machine whose host key these keys trust already (<see cref="Trust"/>).</summary>
    public SshMachine TrustedMachine(SshMachineOptions? options = null)
    {
        var machine = new SshMachine(this, options);
        try { Trust(machine); }
        catch
        {
            machine.Dispose();
            throw;
        }
        return machine;
    }

    /// <summary>
    /// Adds <paramref name="machine"/>'s current host key to <see cref="KnownHostsFile"/>, as a user who accepted it
    /// once would have it: <c>ADDRESS KEY</c> on port 22, <c>[ADDRESS]:PORT KEY</c> on another (OpenSSH's format).
    /// </summary>
    public void Trust(SshMachine machine)
    {
        var host = machine.Port == 22 ? machine.Address : $"[{machine.Address}]:{machine.Port}";
        lock (_gate) File.AppendAllText(KnownHostsFile, $"{host} {machine.HostKeyLine}\n");
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
