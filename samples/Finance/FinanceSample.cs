using System.Diagnostics;
using Spectre.Console;

namespace ClusterPool.Samples.Finance;

/// <summary>What <c>clusterpool sample finance</c> runs with.</summary>
public sealed record FinanceSettings(int Companies, string Database, string? Checkpoint, int Seed, int Processes, int WorkMillis, int BatchSize)
{
    /// <summary>The defaults: 1,000 companies into results.db, no checkpoint, seed 42, a process per core, 20 ms each, 50 per batch.</summary>
    public static FinanceSettings Default => new(1000, "results.db", null, 42, Environment.ProcessorCount, 20, 50);

    /// <summary>Where the pool's live dashboard listens (<see cref="PoolOptions.Dashboard"/>, <c>HOST:PORT</c>); null for none.</summary>
    public string? Dashboard { get; init; }

    /// <summary>More of the pool's options, set by whoever runs the sample (the tool's <c>--hosts</c>: machines to start workers on over SSH); null for none.</summary>
    public Action<PoolOptions>? ConfigurePool { get; init; }

    /// <summary>Reads <c>--companies --db --checkpoint --seed --processes --work-ms --batch --dashboard</c>; an unknown or bad one is an <see cref="ArgumentException"/>.</summary>
    public static FinanceSettings FromArgs(IReadOnlyList<string> args)
    {
        var settings = Default;
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{name} needs a value");
            settings = name switch
            {
                "--companies" => settings with { Companies = Positive(name, value) },
                "--db" => settings with { Database = value },
                "--checkpoint" => settings with { Checkpoint = value },
                "--seed" => settings with { Seed = Number(name, value) },
                "--processes" => settings with { Processes = Positive(name, value) },
                "--work-ms" => settings with { WorkMillis = Math.Max(0, Number(name, value)) },
                "--batch" => settings with { BatchSize = Positive(name, value) },
                "--dashboard" => settings with { Dashboard = value },
                _ => throw new ArgumentException($"unknown option {name} (known: --companies --db --checkpoint --seed --processes --work-ms --batch --dashboard)"),
            };
        }
        return settings;
    }

    private static int Number(string name, string value) =>
        int.TryParse(value, out var n) ? n : throw new ArgumentException($"{name} takes a whole number, not \"{value}\"");

    private static int Positive(string name, string value) =>
        Number(name, value) is > 0 and var n ? n : throw new ArgumentException($"{name} must be at least 1");
}

/// <summary>
/// The financial-statement batch the users run for hours, in miniature: N synthetic companies analysed on the pool
/// (<c>IMap</c>, in order), their scores written to a SQLite database a batch per transaction, with a progress bar.
/// Ctrl+C stops it cleanly: the database holds whole batches, the checkpoint every finished company, and the same
/// command run again finishes the rest.
/// </summary>
public static class FinanceSample
{
    /// <summary>Runs the sample; returns the exit code (a Ctrl+C surfaces as <see cref="PoolInterruptedException"/>).</summary>
    public static int Run(FinanceSettings settings)
    {
        var clock = Stopwatch.StartNew();
        var options = new PoolOptions { Processes = settings.Processes, Checkpoint = settings.Checkpoint, Dashboard = settings.Dashboard };
        settings.ConfigurePool?.Invoke(options);
        using var pool = Pool.Start(options);
        // On stderr: stdout carries the progress bar and the results.
        if (pool.DashboardAddress is { } dashboard) Console.Error.WriteLine($"dashboard: {dashboard}");
        using var database = new ResultsDatabase(settings.Database);
        var requests = CompanyGenerator.Generate(settings.Seed, settings.Companies).Select(c => new AnalysisRequest(c, settings.WorkMillis));

        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var bar = progress.AddTask($"analysing {settings.Companies} companies", maxValue: settings.Companies);
                var batch = new List<CompanyScore>(settings.BatchSize);
                using var scores = pool.IMap(FinancialAnalysis.Analyse, requests, chunksize: 1);
                // The bar follows the pool's own progress reports: analyses finished (and restored from the checkpoint).
                scores.ProgressChanged += (_, p) => bar.Value = p.Done + p.Failed;
                try
                {
                    foreach (var score in scores)
                    {
                        batch.Add(score);
                        if (batch.Count < settings.BatchSize) continue;
                        database.WriteBatch(batch);
                        batch.Clear();
                    }
                }
                catch (CheckpointException)
                {
                    // A damaged checkpoint fails the call part-way, after every earlier result: keep them all, as the
                    // checkpoint cannot be trusted to hold them. (A Ctrl+C leaves whole batches: the checkpoint has the
                    // rest.)
                    database.WriteBatch(batch);
                    throw;
                }
                database.WriteBatch(batch);
            });

        AnsiConsole.MarkupLine($"[green]{database.Count()} companies analysed[/] in {clock.Elapsed.TotalSeconds:F1} s; results in [bold]{Markup.Escape(settings.Database)}[/] (table company_scores)");
        var top = new Table().Title("best scores").AddColumns("ticker", "sector", "score");
        foreach (var (ticker, sector, score) in database.Top(5)) top.AddRow(ticker, sector, $"{score:F2}");
        AnsiConsole.Write(top);
        return 0;
    }
}
