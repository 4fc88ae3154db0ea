using Akka.Configuration;

namespace ClusterPool.Contracts.Configuration;

/// <summary>
/// Builds the Akka configuration of a process from <c>hocon/</c> (embedded in this assembly), a user override, and the
/// few values a command line sets (address, port). A malformed or out-of-range setting is an error naming the setting.
/// </summary>
internal static class PoolConfig
{
    /// <summary>The actor system's name in every process: addresses read
    /// <c>akka.tcp://clusterpool@host:port</c>.</summary>
    public const string SystemName = "clusterpool";

    /// <summary>An environment variable whose HOCON text is laid over the defaults in every ClusterPool process (below
    /// an explicit override).</summary>
    public const string EnvironmentVariable = "CLUSTERPOOL_CONFIG";

    /// <summary>Loads one of the embedded HOCON files by name (<c>shared.hocon</c>, ...).</summary>
    public static string ReadEmbedded(string fileName)
    {
        var assembly = typeof(PoolConfig).Assembly;
        using var stream = assembly.GetManifestResourceStream($"hocon/{fileName}")
            ?? throw new InvalidOperationException($"hocon/{fileName} is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The complete configuration for a process of <paramref name="role"/>.</summary>
    /// <param name="role">Coordinator or worker.</param>
    /// <param name="userHocon">HOCON text laid over the defaults, or null.</param>
    /// <param name="hostname">The address to bind, or null to keep the configured one.</param>
    /// <param name="port">The port to bind (0 for any), or null to keep the configured one.</param>
    /// <param name="clusterMember">False for a node that talks over plain remoting (<c>hocon/embedded.hocon</c>): an
    /// embedded pool's coordinator and the local workers a pool starts itself.</param>
    /// <exception cref="PoolConfigurationException">A setting is malformed; the message names it.</exception>
    public static Config Build(NodeRole role, string? userHocon, string? hostname, int? port, bool clusterMember = true)
    {
        var roleFile = role == NodeRole.Coordinator ? "coordinator.hocon" : "worker.hocon";
        var config = Parse(userHocon ?? "", "your configuration override")
            .WithFallback(Parse(Environment.GetEnvironmentVariable(EnvironmentVariable) ?? "",
                $"the {EnvironmentVariable} environment variable"));
        if (!clusterMember) config = config.WithFallback(Parse(ReadEmbedded("embedded.hocon"), "hocon/embedded.hocon"));
        config = config
            .WithFallback(Parse(ReadEmbedded(roleFile), $"hocon/{roleFile}"))
            .WithFallback(Parse(ReadEmbedded("shared.hocon"), "hocon/shared.hocon"));

        var bind = new List<string>();
        if (hostname is not null) bind.Add($"akka.remote.dot-netty.tcp.hostname = \"{hostname}\"");
        if (port is not null) bind.Add($"akka.remote.dot-netty.tcp.port = {port}");
        if (bind.Count > 0) config = ConfigurationFactory.ParseString(string.Join("\n", bind)).WithFallback(config);

        Validate(config);
        return config;
    }

    private static Config Parse(string text, string source)
    {
        if (HoconText.Unbalanced(text) is { } unbalanced) throw NotHocon(source, unbalanced);
        Config config;
        try { config = ConfigurationFactory.ParseString(text); }
        catch (Exception e) { throw NotHocon(source, e.Message, e); }
        if (HoconText.KeyWithoutValue(config) is { } key)
            throw NotHocon(source, FileName(text) is { } name
                ? $"it must hold HOCON text, not a file's name (for a file's text: \"$(cat {name})\")"
                : $"\"{key}\" has no value (is an '=' missing?)");
        return config;
    }

    /// <summary>The text, when it is one word that names a file (or looks like a HOCON file's name).</summary>
    private static string? FileName(string text)
    {
        var name = text.Trim();
        if (name.Length == 0 || name.Any(char.IsWhiteSpace) || name.Contains('=')) return null;
        return File.Exists(name) || name.EndsWith(".conf", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".hocon", StringComparison.OrdinalIgnoreCase) ? name : null;
    }

    private static PoolConfigurationException NotHocon(string source, string problem, Exception? inner = null) =>
        new($"{source} is not valid HOCON: {problem}", inner);

    /// <summary>The configured maximum frame size, in bytes.</summary>
    public static long FrameSize(Config config) => ReadBytes(config, "akka.remote.dot-netty.tcp.maximum-frame-size");

    /// <summary>Reads a duration setting, naming the setting when it is missing or malformed.</summary>
    public static TimeSpan ReadDuration(Config config, string path, bool allowZero = false)
    {
        TimeSpan value;
        try { value = config.GetTimeSpan(path, null, allowInfinite: false); }
        catch (Exception e) { throw new PoolConfigurationException(
            $"setting {path} must be a duration such as 500ms or 2s: {e.Message}", e); }
        if (!config.HasPath(path)) throw new PoolConfigurationException($"setting {path} is missing");
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero))
            throw new PoolConfigurationException(
                $"setting {path} must be a positive duration, not {config.GetString(path)}");
        return value;
    }

    /// <summary>Reads a positive whole-number setting, naming the setting when it is missing or malformed.</summary>
    public static int ReadPositiveInt(Config config, string path) => ReadInt(config, path, minimum: 1);

    /// <summary>Reads a whole-number setting of 0 or more, naming the setting when it is missing or
    /// malformed.</summary>
    public static int ReadNonNegativeInt(Config config, string path) => ReadInt(config, path, minimum: 0);

    /// <summary>Reads a number setting of <paramref name="minimum"/> or more, naming the setting when it is missing or
    /// malformed.</summary>
    public static double ReadNumber(Config config, string path, double minimum)
    {
        if (!config.HasPath(path)) throw new PoolConfigurationException($"setting {path} is missing");
        var text = config.GetString(path);
        if (!double.TryParse(text, System.Globalization.NumberStyles.Float,
                System.Globalization.CultureInfo.InvariantCulture, out var value) || !(value >= minimum))
            throw new PoolConfigurationException(
                $"setting {path} must be a number of {minimum} or more, not \"{text}\"");
        return value;
    }

    private static int ReadInt(Config config, string path, int minimum)
    {
        if (!config.HasPath(path)) throw new PoolConfigurationException($"setting {path} is missing");
        var text = config.GetString(path);
        if (!int.TryParse(text, out var value) || value < minimum)
            throw new PoolConfigurationException(
                $"setting {path} must be a whole number of {minimum} or more, not \"{text}\"");
        return value;
    }

    /// <summary>A size in bytes (<c>128000</c>, <c>8MiB</c>); positive, or 0 too when
    /// <paramref name="allowZero"/>.</summary>
    public static long ReadBytes(Config config, string path, bool allowZero = false)
    {
        long? value;
        try { value = config.GetByteSize(path); }
        catch (Exception e) { throw new PoolConfigurationException(
            $"setting {path} must be a size such as 128000 or 8MiB: {e.Message}", e); }
        if (value is null || value < 0 || (value == 0 && !allowZero))
            throw new PoolConfigurationException(
                $"setting {path} must be a {(allowZero ? "" : "positive ")}size, not \"{config.GetString(path)}\"");
        return value.Value;
    }

    /// <summary>
    /// What every node needs right: the frame size and the port. Each role's own settings are read, and checked with
    /// names, by its typed settings (the pool's <c>PoolSettings</c>, the worker's <c>WorkerSettings</c>).
    /// </summary>
    private static void Validate(Config config)
    {
        FrameSize(config);
        var port = config.GetString("akka.remote.dot-netty.tcp.port");
        if (!int.TryParse(port, out var p) || p is < 0 or > 65535)
            throw new PoolConfigurationException(
                $"setting akka.remote.dot-netty.tcp.port must be 0..65535, not \"{port}\"");
    }
}
