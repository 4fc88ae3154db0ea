namespace ClusterPool.Contracts.Sharing;

/// <summary>
/// What names a shared value everywhere: the SHA-256 of its bytes (so one value shared twice is stored once, and a
/// checkpoint keyed by a task's arguments sees the same key in every run), how many bytes it has, and their form.
/// This, and nothing of the value, is what a handle carries in a task's arguments.
/// </summary>
/// <param name="Hash">The SHA-256 of the value's bytes, in lower-case hex: the name of its file in a machine's
/// cache.</param>
/// <param name="Bytes">How many bytes the value has.</param>
/// <param name="Raw">The bytes are an array's elements as they lie in memory (a <c>SharedArray&lt;T&gt;</c>), mapped
/// into each process; otherwise a serialized value (a <c>Shared&lt;T&gt;</c>), read by each process.</param>
internal sealed record SharedKey(string Hash, long Bytes, bool Raw)
{
    /// <summary>How the value is named in errors: its kind, its size and the start of its hash.</summary>
    public string Describe() => $"shared {(Raw ? "array" : "value")} {Hash[..12]} ({Size(Bytes)})";

    /// <summary>A byte count as people read it.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.##} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.#} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes} bytes",
    };
}
