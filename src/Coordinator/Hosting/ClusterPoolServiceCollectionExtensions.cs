using ClusterPool;
using ClusterPool.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// In Microsoft.Extensions.DependencyInjection, as the framework's own AddXxx methods and most libraries' are: the
// method shows on builder.Services with no using of ClusterPool's namespaces.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// <c>services.AddClusterPool(...)</c>: a <see cref="Pool"/> for a Generic Host or ASP.NET Core app, injected as a
/// singleton and started and stopped with the host.
/// </summary>
public static class ClusterPoolServiceCollectionExtensions
{
    /// <summary>
    /// Adds a <see cref="Pool"/> the app injects (a singleton), configured by <paramref name="configure"/>.
    /// <list type="bullet">
    /// <item><description>Start: the pool starts when first resolved (so a hosted service may take it in its
    /// constructor), and at the latest as the host starts (before any hosted service's <c>StartAsync</c>).
    /// </description></item>
    /// <item><description>Validation: the options are checked as the host starts (<c>ValidateOnStart</c>) with the
    /// rules of <see cref="Pool.Start"/>; a bad setting fails <c>host.StartAsync</c> (or resolving the pool) with an
    /// <see cref="OptionsValidationException"/> naming it, and no worker process starts.</description></item>
    /// <item><description>Stop: after every hosted service has stopped (the web server's requests drained, background
    /// services ended), the pool takes no more calls, the calls in flight get what is left of the host's shutdown
    /// timeout (<c>HostOptions.ShutdownTimeout</c>) to finish, then the worker processes stop; calls still running then
    /// fail with <see cref="PoolTerminatedException"/>. A pool resolved from the service provider of a host that never
    /// started is terminated when the provider is disposed.</description></item>
    /// <item><description>Ctrl+C and SIGTERM: <see cref="PoolOptions.HandleInterrupts"/> defaults to false here,
    /// since the host handles them (it stops, and stops the pool as above); a pool handling them too would fail its
    /// calls and stop its workers while the host is still finishing its requests. Set it to true to have both.
    /// </description></item>
    /// <item><description>Logging: <see cref="PoolOptions.LoggerFactory"/> defaults to the host's
    /// <see cref="ILoggerFactory"/> (category <c>ClusterPool</c>).</description></item>
    /// <item><description>Spares: none (<c>clusterpool.local-workers.spares.keep-for = 0s</c> is put before
    /// <see cref="PoolOptions.Config"/>, whose own setting wins): an app keeps its one pool, so worker processes
    /// started ahead for a next pool would only wait.</description></item>
    /// </list>
    /// Calling it again adds <paramref name="configure"/> to the same pool's options.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configure">Sets the pool's options; null for the defaults (workers on this machine).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddClusterPool(this IServiceCollection services,
        Action<PoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddPoolServices(services);
        if (configure is not null) services.Configure(configure);
        return services;
    }

    /// <summary>
    /// Adds a <see cref="Pool"/> as <see cref="AddClusterPool(IServiceCollection, Action{PoolOptions}?)"/> does, its
    /// options bound from <paramref name="configuration"/>, for example
    /// <c>builder.Configuration.GetSection("ClusterPool")</c> of appsettings.json:
    /// <c>{ "ClusterPool": { "Processes": 4, "TaskTimeout": "00:05:00", "Checkpoint": "run.db" } }</c>. The settings
    /// that bind are the numbers, strings, booleans, spans (<c>hh:mm:ss</c>) and <see cref="PoolOptions.SeedNodes"/>
    /// (an array); <see cref="PoolOptions.Initializer"/>, <see cref="PoolOptions.InitArgs"/>,
    /// <see cref="PoolOptions.LoggerFactory"/> and <see cref="PoolOptions.OnTaskOutput"/> are set in
    /// <paramref name="configure"/>, which runs after the binding and so overrides it.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">
    /// The section holding the pool's settings, named as <see cref="PoolOptions"/>' properties.
    /// </param>
    /// <param name="configure">Sets what configuration cannot, after the binding; null for nothing more.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddClusterPool(this IServiceCollection services, IConfiguration configuration,
        Action<PoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddPoolServices(services);
        services.Configure<PoolOptions>(configuration);
        if (configure is not null) services.Configure(configure);
        return services;
    }

    /// <summary>A hosted pool's HOCON default: no spare worker processes (they would wait all along).</summary>
    internal const string NoSpares = "clusterpool.local-workers.spares.keep-for = 0s";

    /// <summary>What every call needs, added once: the hosted defaults first, so the caller's settings win.</summary>
    private static void AddPoolServices(IServiceCollection services)
    {
        if (services.Any(service => service.ServiceType == typeof(HostedPool))) return;
        services.AddOptions<PoolOptions>()
            .Configure(options => options.HandleInterrupts = false) // the host handles Ctrl+C and SIGTERM
            .PostConfigure<IServiceProvider>((options, provider) =>
            {
                options.LoggerFactory ??= provider.GetService<ILoggerFactory>();
                // Under the app's own HOCON, which wins: a hosted app keeps its one pool, so no spares for a next one.
                options.Config = $"{NoSpares}\n{options.Config}";
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PoolOptions>, PoolOptionsValidator>();
        services.AddSingleton<HostedPool>();
        services.AddHostedService(provider => provider.GetRequiredService<HostedPool>());
        services.AddSingleton(provider => provider.GetRequiredService<HostedPool>().Pool);
    }
}
