using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ClusterPool.Dashboard;

/// <summary>
/// The live dashboard (<see cref="PoolOptions.Dashboard"/>): a small Kestrel app with two endpoints, <c>/</c> (the
/// page, <c>dashboard.html</c>, which asks <c>/api/state</c> every sample interval) and <c>/api/state</c> (the pool's
/// statistics, its calls and the throughput history, as JSON). A timer samples the pool's counters into the history.
/// Its log lines go to the pool's logger factory at warning level and above; it takes no signal and holds no thread,
/// so it never keeps the process alive.
/// </summary>
internal sealed class DashboardServer : IDisposable, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Lazy<string> Page = new(ReadPage);

    private readonly WebApplication _app;
    private readonly DashboardSource _source;
    private readonly DashboardSettings _settings;
    private readonly ThroughputHistory _history;
    private readonly ILogger _log;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private Timer? _sampler;
    private int _sampling;
    private int _disposed;

    private DashboardServer(DashboardEndpoint endpoint, DashboardSource source, DashboardSettings settings,
        ILoggerFactory logging)
    {
        _source = source;
        _settings = settings;
        _history = new ThroughputHistory(settings.History);
        _log = logging.CreateLogger(typeof(DashboardServer).FullName!);

        // The empty builder reads no appsettings.json, environment variables or command line: the program's own
        // configuration is not the dashboard's, and it adds no console logger.
        var builder = WebApplication.CreateEmptyBuilder(
            new WebApplicationOptions { ApplicationName = "ClusterPool.Dashboard" });
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddProvider(new ForwardingLoggerProvider(logging))
            // A failed start (its port in use) is thrown to Pool.Start, as an IOException naming the address: the
            // host's own "Hosting failed to start" line would only repeat it, as a stack trace.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endpoint.Address, endpoint.Port);
        });
        _app = builder.Build();
        _app.MapGet("/", (HttpContext context) =>
            Send(context, Results.Content(Page.Value, "text/html; charset=utf-8")));
        // Typed as a Func: an async lambda of an HttpContext alone would bind as a RequestDelegate, its result dropped.
        Func<HttpContext, Task<IResult>> state = async context =>
            Send(context, Results.Json(await StateAsync(context.RequestAborted), Json));
        _app.MapGet("/api/state", state);
    }

    /// <summary>
    /// The address the dashboard serves, <c>http://HOST:PORT</c>, with the port it was given when it asked for any (0).
    /// </summary>
    public string Url { get; private set; } = "";

    /// <summary>
    /// Starts the dashboard on <paramref name="endpoint"/>; an address in use or not of this machine is an
    /// <see cref="IOException"/> naming it.
    /// </summary>
    public static DashboardServer Start(DashboardEndpoint endpoint, DashboardSource source, DashboardSettings settings,
        ILoggerFactory logging) =>
        Task.Run(() => StartAsync(endpoint, source, settings, logging)).GetAwaiter().GetResult();

    /// <summary><see cref="Start"/>, without holding a thread while the web server starts.</summary>
    public static async Task<DashboardServer> StartAsync(DashboardEndpoint endpoint, DashboardSource source,
        DashboardSettings settings, ILoggerFactory logging, CancellationToken cancellationToken = default)
    {
        var server = new DashboardServer(endpoint, source, settings, logging);
        try
        {
            await server._app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw new IOException(
                $"the dashboard cannot listen on {endpoint} ({nameof(PoolOptions)}.{nameof(PoolOptions.Dashboard)}): " +
                $"{e.InnerException?.Message ?? e.Message}", e);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        var addresses = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var bound = addresses?.Addresses.FirstOrDefault();
        server.Url = bound ?? $"http://{endpoint}";
        server._sampler = new Timer(_ => _ = server.SampleAsync(), null, TimeSpan.Zero, settings.SampleInterval);
        return server;
    }

    /// <summary>The state <c>/api/state</c> returns.</summary>
    internal async Task<DashboardState> StateAsync(CancellationToken cancellationToken)
    {
        var statistics = await _source.Statistics(cancellationToken).ConfigureAwait(false);
        return new DashboardState(_source.Coordinator, Environment.ProcessId, DateTimeOffset.UtcNow,
            _uptime.Elapsed.TotalSeconds, _settings.SampleInterval.TotalSeconds, _history.Length.TotalSeconds,
            statistics,
            [.. _source.Calls().Select(CallView.From)], _history.Samples());
    }

    /// <summary>
    /// Stops the sampler and the web server (open requests get the stop timeout). Safe to call twice.
    /// </summary>
    public void Dispose() => Task.Run(DisposeAsync).GetAwaiter().GetResult();

    /// <summary><see cref="Dispose"/>, without holding a thread while the web server stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (_sampler is not null) await _sampler.DisposeAsync().ConfigureAwait(false);
        try
        {
            using var timeout = new CancellationTokenSource(_settings.StopTimeout);
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            // Never started (a failed bind), or requests still open at the timeout: disposing closes what is left.
        }
        finally { await _app.DisposeAsync().ConfigureAwait(false); }
    }

    private async Task SampleAsync()
    {
        // A tick that finds the last one still asking (a pool too busy to answer at once) skips its turn.
        if (Interlocked.Exchange(ref _sampling, 1) == 1) return;
        try
        {
            var statistics = await _source.Statistics(CancellationToken.None).ConfigureAwait(false);
            _history.Record(DateTimeOffset.UtcNow, statistics);
        }
        catch (Exception e) { _log.LogDebug(e, "the dashboard could not sample the pool's counters"); }
        finally { Volatile.Write(ref _sampling, 0); }
    }

    private static IResult Send(HttpContext context, IResult result)
    {
        // Every answer is of now: nothing for a browser or a proxy to keep.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return result;
    }

    private static string ReadPage()
    {
        var assembly = typeof(DashboardServer).Assembly;
        using var stream = assembly.GetManifestResourceStream("dashboard/dashboard.html")
            ?? throw new InvalidOperationException(
                $"dashboard/dashboard.html is missing from {assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
