using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ClusterPool.Contracts.Configuration;

/// <summary>
/// What Akka's HOCON parser lets through: it reads <c>akka { loglevel = INFO</c> (no closing brace) as if it were
/// closed, <c>}}} ===</c> as nothing, and <c>akka.loglevel INFO</c> as a key with no value, so a typo in an override
/// was silently ignored. These checks find such text and say where.
/// </summary>
internal static class HoconText
{
    /// <summary>An unclosed or unopened brace or bracket, or an unclosed string, outside comments; null if
    /// none.</summary>
    public static string? Unbalanced(string text)
    {
        var open = new Stack<(char Bracket, int Line)>();
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') line++;
            else if (c == '#' || (c == '/' && At(text, i, "//"))) i = EndOfLine(text, i) - 1;
            else if (c == '"')
            {
                var (end, lines) = EndOfString(text, i);
                if (end < 0) return $"the string opened on line {line} is never closed";
                (i, line) = (end, line + lines);
            }
            else if (c is '{' or '[') open.Push((c, line));
            else if (c is '}' or ']')
            {
                if (open.Count == 0) return $"the '{c}' on line {line} closes nothing";
                var (bracket, opened) = open.Pop();
                if (bracket != (c == '}' ? '{' : '['))
                    return $"the '{c}' on line {line} closes the '{bracket}' opened on line {opened}";
            }
        }
        return open.TryPop(out var left) ? $"the '{left.Bracket}' opened on line {left.Line} is never closed" : null;
    }

    /// <summary>The path of a key that was given no value (<c>akka.loglevel INFO</c> reads as the key
    /// <c>"loglevel INFO"</c>), or null.</summary>
    public static string? KeyWithoutValue(Config config) => config.Root is { } root
        ? KeyWithoutValue(root, "", new HashSet<HoconObject>(ReferenceEqualityComparer.Instance))
        : null;

    // Only the objects written in the text: a substitution (${?HOME}) can lead back to an object already seen.
    private static string? KeyWithoutValue(HoconValue value, string path, HashSet<HoconObject> seen)
    {
        foreach (var node in value.Values.OfType<HoconObject>().Where(seen.Add))
        {
            foreach (var (key, inner) in node.Items)
            {
                var at = path.Length == 0 ? key : $"{path}.{key}";
                if (inner.Values.Count == 0) return at;
                if (KeyWithoutValue(inner, at, seen) is { } deeper) return deeper;
            }
        }
        return null;
    }

    private static bool At(string text, int i, string what) =>
        string.CompareOrdinal(text, i, what, 0, what.Length) == 0;

    private static int EndOfLine(string text, int i)
    {
        var end = text.IndexOf('\n', i);
        return end < 0 ? text.Length : end;
    }

    /// <summary>The index of the quote that closes the string opening at <paramref name="start"/> (triple-quoted
    /// strings span lines and know no escapes), and the line breaks inside it; -1 if it is not closed.</summary>
    private static (int End, int Lines) EndOfString(string text, int start)
    {
        if (At(text, start, "\"\"\""))
        {
            var close = text.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
            if (close < 0) return (-1, 0);
            while (close + 3 < text.Length && text[close + 3] == '"') close++; // """a"""" ends with the last three
            return (close + 2, text.AsSpan(start, close - start).Count('\n'));
        }
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') i++;
            else if (text[i] == '"') return (i, 0);
            else if (text[i] == '\n') return (-1, 0); // a quoted string ends on its line
        }
        return (-1, 0);
    }
}
