using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace ClusterPool.Cli;

/// <summary>
/// Numbers on the command line, written as in scripts and code (<c>0.5</c>) whatever the user's culture, and checked
/// with an error that names the option. System.CommandLine reads them in the current culture: on a German machine
/// <c>--scale 0.1</c> meant 1 (the point groups thousands there), on a Swedish one it failed; and a validator that
/// read a value that was no number (<c>--processes abc</c>) threw a stack trace instead of an error. The tool's own
/// commands use it too (ClusterPool.Cli references this project).
/// </summary>
internal static class NumberOption
{
    /// <summary>Reads <paramref name="option"/> in the invariant culture and refuses a value that fails
    /// <paramref name="valid"/>, which <paramref name="rule"/> says in words ("at least 1").</summary>
    public static void Require<T>(Option<T> option, Func<T, bool> valid, string rule) where T : INumber<T>
    {
        var whole = typeof(T) == typeof(int) || typeof(T) == typeof(long);
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            // Infinity and 1e400 parse too, and nothing takes them.
            if (!T.TryParse(text, whole ? NumberStyles.Integer : NumberStyles.Float, CultureInfo.InvariantCulture,
                    out var value) || !T.IsFinite(value))
                result.AddError(whole
                    ? $"{option.Name}: \"{text}\" is not a whole number"
                    : $"{option.Name}: \"{text}\" is not a number (write decimals with a point: 0.5)");
            else if (!valid(value))
                result.AddError($"{option.Name} must be {rule}, not {text}");
            return value!;
        };
    }
}
