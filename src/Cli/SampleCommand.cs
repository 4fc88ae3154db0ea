using System.CommandLine;
using ClusterPool.Samples.Finance;

namespace ClusterPool.Cli;

/// <summary>The <c>sample</c> command: programs that show ClusterPool at work on the users' kind of batch.</summary>
internal static class SampleCommand
{
    /// <summary>Builds <c>sample</c> with its one sample, <c>finance</c>.</summary>
    public static Command Create()
    {
        var sample = new Command("sample", "Samples of real batches on the pool.");
        sample.Subcommands.Add(Finance());
        return sample;
    }

    private static Command Finance()
    {
        var companies = new Option<int>("--companies")
        {
            Description = "How many synthetic companies to analyse",
            DefaultValueFactory = _ => 1000
        };
        var db = new Option<string>("--db")
        {
            Description = "The SQLite results database (one row per company)",
            DefaultValueFactory = _ => "results.db"
        };
        // A --db that cannot be a database file is a bad argument, said before any worker starts.
        db.Validators.Add(result =>
        {
            if (result.GetValue(db) is not { } path) return;
            var full = Path.GetFullPath(path);
            if (Directory.Exists(full))
                result.AddError($"--db: {full} is a folder; give a database file's path (e.g. {full}/results.db)");
            else if (Path.GetDirectoryName(full) is { } folder && !Directory.Exists(folder))
                result.AddError($"--db: the folder {folder} (of {full}) does not exist");
        });
        var listen = new Option<string?>("--listen")
        {
            Description = "With --hosts: the HOST:PORT the hosts reach this machine at (found by itself otherwise)"
        };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "A checkpoint file: run again after Ctrl+C to resume where the run stopped"
        };
        var seed = new Option<int>("--seed")
        {
            Description = "The seed the companies are generated from",
            DefaultValueFactory = _ => 42
        };
        var processes = new Option<int>("--processes")
        {
            Description = "Worker processes",
            DefaultValueFactory = _ => Environment.ProcessorCount
        };
        var workMs = new Option<int>("--work-ms")
        {
            Description = "Milliseconds each analysis takes (a stand-in for real modelling)",
            DefaultValueFactory = _ => 20
        };
        var dashboard = ClusterPoolCommand.DashboardOption();
        var batch = new Option<int>("--batch")
        {
            Description = "Companies written per database transaction",
            DefaultValueFactory = _ => 50
        };
        foreach (var positive in new[] { companies, processes, batch })
            NumberOption.Require(positive, v => v > 0, "at least 1");
        NumberOption.Require(workMs, w => w >= 0, "0 or more");

        var finance = new Command("finance",
            "Analyse N companies' financial statements (ratios, growth, a score) on the pool into a SQLite database, " +
                "with a progress bar. " +
            "Ctrl+C stops cleanly; with --checkpoint the same command resumes.");
        foreach (var option in new Option[] { companies, db, checkpoint, seed, processes, workMs, batch,
            dashboard }) finance.Options.Add(option);
        finance.Options.Add(listen);
        var hosts = HostsOptions.AddTo(finance);
        // Without hosts a listening pool would wait for worker hosts started by hand, which the sample never says.
        finance.Validators.Add(result =>
        {
            if (result.GetValue(listen) is not null && !hosts.Read(result).Any)
                result.AddError("--listen is for --hosts (or --hosts-file): the address they reach this machine at");
        });
        finance.SetAction(parse => ClusterPoolCommand.Guarded(_ => FinanceSample.Run(new FinanceSettings(
            parse.GetValue(companies), parse.GetValue(db)!, parse.GetValue(checkpoint), parse.GetValue(seed),
                parse.GetValue(processes),
            parse.GetValue(workMs), parse.GetValue(batch))
        {
            Dashboard = parse.GetValue(dashboard),
            ConfigurePool = options =>
            {
                hosts.Read(parse).ApplyTo(options);
                if (parse.GetValue(listen) is { } address) options.ListenAddress = address;
            },
        })));
        return finance;
    }
}
