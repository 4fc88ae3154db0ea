using System.Security.Cryptography;

namespace ClusterPool.Hosts;

/// <summary>
/// A host's SSH key fingerprints, read with OpenSSH's <c>ssh-keyscan</c> (beside the client), in OpenSSH's own form
/// (<c>ED25519 SHA256:...</c>): what a user compares with the host's <c>ssh-keygen -lf</c> before trusting it.
/// </summary>
internal static class HostKeyScan
{
    /// <summary>The fingerprints, comma-separated, or null when the host's keys could not be read.</summary>
    public static string? Fingerprints(HostSpec host, SshSettings settings)
    {
        var scanner = Path.GetDirectoryName(settings.Program) is { Length: > 0 } folder
            ? Path.Combine(folder, "ssh-keyscan") : "ssh-keyscan";
        var output = ProgramOutput.Read(scanner, ["-T", "5", "-p", (host.Port ?? 22).ToString(), host.Host],
            TimeSpan.FromSeconds(10));
        try
        {
            var keys = (output ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' ')).Where(parts => parts.Length >= 3 && !parts[0].StartsWith('#'))
                .Select(parts => $"{KeyType(parts[1])} {Fingerprint(parts[2])}").Distinct().ToList();
            return keys.Count == 0 ? null : string.Join(", ", keys);
        }
        catch (FormatException) { return null; } // not a key line after all
    }

    /// <summary>OpenSSH's fingerprint of a key blob (base64): SHA-256, base64 without padding.</summary>
    public static string Fingerprint(string base64Key) =>
        "SHA256:" + Convert.ToBase64String(SHA256.HashData(Convert.FromBase64String(base64Key))).TrimEnd('=');

    private static string KeyType(string type) => type switch
    {
        "ssh-ed25519" => "ED25519",
        "ssh-rsa" => "RSA",
        _ when type.StartsWith("ecdsa", StringComparison.Ordinal) => "ECDSA",
        _ => type,
    };
}
