using System.Diagnostics;
using System.Reflection;
using System.Threading.Channels;
using ClusterPool.Output;

namespace ClusterPool.Hosts;

/// <summary>
/// One SSH session running the host side of the protocol (<c>remote-host.sh</c>, embedded in this assembly): lines to
/// its stdin, lines from its stdout, and its stderr kept for the error. Disposing kills the client, which ends the
/// session; the host side then reads end-of-file and ends too.
/// </summary>
internal sealed class SshChannel : IDisposable
{
    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("hosts/remote-host.sh")!;
        return new StreamReader(stream).ReadToEnd().Replace("\r", "", StringComparison.Ordinal);
    });

    private readonly Process _ssh;
    private readonly List<string> _stderr = [];
    private readonly TaskCompletionSource _stderrDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    // The client's exit code, read once by its Exited handler (-1 when it was closed here first). Nothing else waits
    // on or reads the Process as it exits: .NET's Process is not safe to read while another thread disposes it.
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Orders the handler's read of the exit code before Dispose. Never held while Dispose calls into the Process:
    // .NET runs the Exited handler holding the Process's own lock, which Process.Dispose takes too (a session closed
    // as its client exited deadlocked so).
    private readonly Lock _gate = new();
    private bool _disposed;

    private SshChannel(Process ssh, HostSpec host)
    {
        _ssh = ssh;
        Host = host;
        ssh.Exited += (_, _) =>
        {
            lock (_gate)
            {
                if (_disposed) return;
                try { _exit.TrySetResult(ssh.ExitCode); }
                catch (InvalidOperationException) { _exit.TrySetResult(-1); }
            }
        };
    }

    /// <summary>Reads the started client's stderr (kept) and stdout (the protocol's lines).</summary>
    private void FollowStreams()
    {
        ChildProcessLines.Follow(_ssh.StandardError, "clusterpool-ssh-stderr", line =>
        {
            if (line is null) { _stderrDone.TrySetResult(); return; }
            lock (_stderr)
            {
                _stderr.Add(line);
                if (_stderr.Count > 200) _stderr.RemoveAt(0);
            }
            StderrLine?.Invoke(line);
        });
        ChildProcessLines.Follow(_ssh.StandardOutput, "clusterpool-ssh-stdout", line =>
        {
            if (line is null) _stdout.Writer.TryComplete();
            else _stdout.Writer.TryWrite(line);
        });
    }

    /// <summary>The host this session runs on.</summary>
    public HostSpec Host { get; }

    /// <summary>Each line the session writes on stderr (the worker host's own lines, once it runs).</summary>
    public event Action<string>? StderrLine;

    /// <summary>The session's stdin, for a tar stream.</summary>
    public Stream Input => _ssh.StandardInput.BaseStream;

    /// <summary>Opens a session on <paramref name="host"/> running the host side with the cache folder of
    /// <paramref name="settings"/>.</summary>
    /// <exception cref="RemoteHostException">The client cannot be started (no <c>ssh</c> on this machine).</exception>
    public static SshChannel Open(HostSpec host, SshSettings settings)
    {
        var command = SshCommand.Quote(["sh", "-c", Script.Value, "clusterpool-host", settings.RemoteCache ?? ""]);
        var ssh = new Process { StartInfo = SshCommand.StartInfo(host, settings, command), EnableRaisingEvents = true };
        // Made before the client starts, so that its Exited handler is there however soon it exits.
        var channel = new SshChannel(ssh, host);
        try { ssh.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            ssh.Dispose();
            throw new RemoteHostException(host.Name,
                $"host {host.Name}: the OpenSSH client \"{settings.Program}\" cannot be started ({e.Message}): " +
                "install it (Debian: openssh-client; Windows 10 and later have it) or set clusterpool.ssh.program");
        }
        channel.FollowStreams();
        return channel;
    }

    /// <summary>Writes one line of the protocol.</summary>
    public async Task SendAsync(string line, CancellationToken cancel)
    {
        await _ssh.StandardInput.WriteAsync((line + "\n").AsMemory(), cancel).ConfigureAwait(false);
        await _ssh.StandardInput.FlushAsync(cancel).ConfigureAwait(false);
    }

    /// <summary>The next line the host side answers, or null when the session ended (or was closed here).</summary>
    public async Task<string?> ReadAsync(CancellationToken cancel)
    {
        try { return await _stdout.Reader.ReadAsync(cancel).ConfigureAwait(false); }
        catch (ChannelClosedException) { return null; }
    }

    /// <summary>Closes the session's stdin: the host side reads end-of-file (a running worker host stops).</summary>
    public void CloseInput()
    {
        try { _ssh.StandardInput.Close(); }
        catch (IOException) { /* the session ended already */ }
    }

    /// <summary>Waits for the client to exit; its exit code then (255: SSH's own failure; -1 when the session was
    /// closed here first).</summary>
    public async Task<int> ExitAsync(CancellationToken cancel)
    {
        var code = await _exit.Task.WaitAsync(cancel).ConfigureAwait(false);
        try { await _stderrDone.Task.WaitAsync(TimeSpan.FromSeconds(2), cancel).ConfigureAwait(false); }
        catch (TimeoutException) { /* a grandchild holds stderr open: the exit code is known all the same */ }
        return code;
    }

    /// <summary>What the session wrote on stderr (its last 200 lines).</summary>
    public string Stderr
    {
        get { lock (_stderr) return string.Join('\n', _stderr); }
    }

    /// <summary>Its last lines on stderr, for a message.</summary>
    public IReadOnlyList<string> LastStderrLines(int count)
    {
        lock (_stderr) return [.. _stderr.TakeLast(count)];
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true; // from here on, the Exited handler leaves the Process alone
        }
        try { if (!_ssh.HasExited) _ssh.Kill(); }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException) { /* exited */ }
        finally
        {
            _stdout.Writer.TryComplete(); // reads from now on return the lines read already, then null
            _ssh.Dispose();
            _exit.TrySetResult(-1); // closed here: whoever waits for its exit is not left waiting, whatever Kill threw
        }
    }
}
