using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace ClusterPool.Bench;

/// <summary>Prints the comparison: a table for people, or one JSON object per figure for scripts.</summary>
internal static class BenchTable
{
    // Targets such as "<= 1 s" stay readable instead of becoming "\u003C= 1 s"; the output is never embedded in HTML.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="rows"/> as JSON lines on <paramref name="stdout"/>, nothing else.</summary>
    public static void WriteJson(TextWriter stdout, IEnumerable<BenchRow> rows)
    {
        foreach (var row in rows)
        {
            stdout.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["suite"] = row.Suite,
                ["case"] = row.Case,
                ["metric"] = row.Metric,
                ["unit"] = row.Unit,
                ["clusterpool"] = (object?)row.OursText ?? row.Ours,
                ["python"] = (object?)row.PythonText ?? row.Python,
                ["ratio"] = row.Ratio is { } r ? Math.Round(r, 3) : null,
                ["better"] = row.Better switch { Better.Higher => "higher", Better.Lower => "lower", _ => null },
                ["target"] = row.Target?.Text,
                ["met"] = row.Met,
            }, JsonOptions));
        }
        stdout.Flush();
    }

    /// <summary>Writes the table on <paramref name="stdout"/>, a section per suite, with <paramref name="heading"/> and the notes under it.</summary>
    public static void Write(TextWriter stdout, IReadOnlyList<BenchRow> rows, string heading, IEnumerable<string> notes)
    {
        // Redirected to a file: no colour codes, and 160 columns instead of Spectre's 80, which would wrap every row.
        var redirected = Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (redirected) console.Profile.Width = 160;

        var table = new Table()
            .Title(Markup.Escape(heading))
            .AddColumn("case")
            .AddColumn("metric")
            .AddColumn(new TableColumn("ClusterPool").RightAligned())
            .AddColumn(new TableColumn("Python").RightAligned())
            .AddColumn(new TableColumn("ratio").RightAligned())
            .AddColumn("target")
            .AddColumn("met");
        foreach (var suite in rows.GroupBy(r => r.Suite))
        {
            table.AddRow($"[bold]{Markup.Escape(suite.Key)} suite[/]");
            foreach (var row in suite)
            {
                table.AddRow(
                    Markup.Escape(row.Case),
                    Markup.Escape(row.Metric),
                    Markup.Escape(row.OursText ?? Format(row.Ours, row.Unit)),
                    Markup.Escape(row.PythonText ?? Format(row.Python, row.Unit)),
                    FormatRatio(row.Ratio),
                    Markup.Escape(row.Target?.Text ?? ""),
                    row.Met switch
                    {
                        true => "[green]met[/]",
                        false => "[red]NOT MET[/]",
                        null when row.Target is not null => "[grey]n/a[/]",
                        null => "",
                    });
            }
        }
        console.Write(table);
        foreach (var note in notes) console.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
    }

    /// <summary>A ratio with two significant digits at least: 0.012x, 0.45x, 2.31x.</summary>
    public static string FormatRatio(double? ratio) => ratio switch
    {
        null => "",
        < 0.1 => $"{ratio:0.000}x",
        _ => $"{ratio:0.00}x",
    };

    /// <summary>A value with its unit, at a precision that suits the unit.</summary>
    public static string Format(double? value, string unit) => value switch
    {
        null => "",
        { } v => unit switch
        {
            "1/s" => $"{v.ToString("N0", CultureInfo.InvariantCulture)} /s",
            "s" => v < 1 ? $"{v:0.0000} s" : $"{v:0.000} s",
            "us" => $"{v:0.0} µs",
            "MiB" => $"{v:0.0} MiB",
            "B" => $"{v.ToString("N0", CultureInfo.InvariantCulture)} B",
            "files" => $"{v:0}",
            "x" => $"{v:0.000}x",
            "%" => $"{v:0.0##} %",
            _ => $"{v:0.000}",
        },
    };
}
