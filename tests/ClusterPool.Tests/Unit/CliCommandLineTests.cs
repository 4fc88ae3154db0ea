using System.CommandLine;
using ClusterPool.Cli;
using ClusterPool.Worker;
using Xunit;

namespace ClusterPool.Tests.Unit;

/// <summary>The <c>clusterpool</c> tool's command line: its name, its errors and their exit codes.</summary>
public class CliCommandLineTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = ClusterPoolCommand.InvokeAsync(ClusterPoolCommand.Create(), args,
            new InvocationConfiguration { Output = output, Error = error }).GetAwaiter().GetResult();
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void HelpNamesTheCommandAsThePackageInstallsIt()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("clusterpool [command] [options]", output);
        Assert.DoesNotContain("ClusterPool.Cli", output);
    }

    [Fact]
    public void NoCommandSaysSoAndListsTheCommands()
    {
        var (code, _, error) = Run();
        Assert.Equal(2, code);
        Assert.StartsWith("error: Required command was not provided.", error);
        Assert.Contains("clusterpool [command] [options]", error);
        Assert.Contains("worker", error);
        Assert.Contains("sample", error);
    }

    [Fact]
    public void AnUnknownCommandIsTheOnlyError()
    {
        var (code, _, error) = Run("bogus");
        Assert.Equal(2, code);
        Assert.StartsWith("error: Unrecognized command or argument 'bogus'", error);
        Assert.DoesNotContain("Required command", error);
        Assert.Contains("Commands:", error);
    }

    [Fact]
    public void AFolderAsTheDatabaseIsABadArgumentNamingIt()
    {
        var folder = Path.GetTempPath().TrimEnd('/');
        var (code, _, error) = Run("sample", "finance", "--db", folder);
        Assert.Equal(2, code);
        Assert.Contains($"--db: {folder} is a folder", error);
    }

    [Fact]
    public void ABadDashboardIsNamedAsTheToolsOption()
    {
        var (code, _, error) = Run("sample", "finance", "--dashboard", "nope");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --dashboard must be HOST:PORT", error);
        Assert.DoesNotContain("PoolOptions", error);
        Assert.DoesNotContain("Parameter", error);
    }

    [Fact]
    public void ThePoolsMessagesNameTheToolsOptions()
    {
        var message = ClusterPoolCommand.ToolWords(new PoolConfigurationException(
            "host h: its name is not known here: check the name; or set PoolOptions.ListenAddress to HOST:PORT"));
        Assert.Equal("host h: its name is not known here: check the name; or set --listen to HOST:PORT", message);
        Assert.Equal("--hosts-file: x", ClusterPoolCommand.ToolWords(new ArgumentException("PoolOptions.HostsFile: x",
            "options")));
    }

    [Fact]
    public void CertShowSaysAFileHasNoPasswordRatherThanThatItIsNoCertificate()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-cert-").FullName;
        try
        {
            Assert.Equal(0, Run("cert", "new", "--out", folder).Code);
            var error = new StringWriter();
            var saved = Console.Error;
            Console.SetError(error);
            int code;
            try { code = Run("cert", "show", Path.Combine(folder, "node.pfx"), "--password", "wrong").Code; }
            finally { Console.SetError(saved); }
            Assert.Equal(2, code);
            Assert.Contains("has no password: --password is not needed", error.ToString());
            Assert.DoesNotContain("not a certificate", error.ToString());
        }
        finally { Directory.Delete(folder, recursive: true); }
    }

    /// <summary>A worker host argument that names a file that does not serve is a bad argument (exit code 2), before
    /// anything starts.</summary>
    [Fact]
    public async Task AWorkerFileArgumentThatDoesNotServeExitsWithTwo()
    {
        var folder = Directory.CreateTempSubdirectory("clusterpool-args-").FullName;
        try
        {
            var text = Path.Combine(folder, "notes.dll");
            await File.WriteAllTextAsync(text, "not an assembly, not a certificate");
            string[] join = ["--join", "127.0.0.1:9"];
            Assert.Equal(2, await WorkerCommand.RunAsync([.. join, "--app", Path.Combine(folder, "none.dll")]));
            Assert.Equal(2, await WorkerCommand.RunAsync([.. join, "--app", text]));
            Assert.Equal(2, await WorkerCommand.RunAsync([.. join, "--app", folder]));
            Assert.Equal(2, await WorkerCommand.RunAsync([.. join, "--cert", text]));
        }
        finally { Directory.Delete(folder, recursive: true); }
    }
}
