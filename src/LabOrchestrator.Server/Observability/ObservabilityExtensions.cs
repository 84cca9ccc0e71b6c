using LabOrchestrator.Engines;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;

namespace LabOrchestrator.Server.Observability;

/// <summary>Metrics (<c>/metrics</c>, OpenTelemetry's Prometheus exporter) and structured logs.</summary>
internal static class ObservabilityExtensions
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName)
            .Validate(o => o.BearerToken.Length is 0 or >= 32, "Metrics:BearerToken must be empty or at least 32 characters (e.g. `openssl rand -base64 32`).")
            .Validate(o => o.SessionCountsMaxAge >= TimeSpan.Zero, "Metrics:SessionCountsMaxAge must not be negative.")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<SessionCounts>();
        services.TryAddSingleton<LabMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<LabOrchestrator.Sessions.IReconcileObserver, ReconcilerMetrics>());
        if (configuration.GetValue($"{MetricsOptions.SectionName}:{nameof(MetricsOptions.Enabled)}", true))
        {
            services.AddOpenTelemetry().WithMetrics(metrics =>
            {
                metrics.AddMeter(LabMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
                // Meters are found by name in the whole process: two servers in one process (tests, benchmarks) would
                // export each other's instruments. Only meters of this server's own factory (or of none) count.
                ((IDeferredMeterProviderBuilder)metrics).Configure((provider, builder) =>
                {
                    var own = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                    builder.AddView(i => i.Meter.Scope is { } scope && !ReferenceEquals(scope, own) ? MetricStreamConfiguration.Drop : null);
                });
                // No response cache: the costly part (the session counts) has its own, and scrapes see current gauges.
                metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            });
        }

        // Scopes carry the session id (SessionLogScope); show them unless the configuration says otherwise. JSON lines:
        // Logging:Console:FormatterName=json.
        var includeScopes = configuration.GetValue("Logging:Console:FormatterOptions:IncludeScopes", true);
        services.Configure<SimpleConsoleFormatterOptions>(o => o.IncludeScopes = includeScopes);
        services.Configure<JsonConsoleFormatterOptions>(o => o.IncludeScopes = includeScopes);
        return services;
    }

    /// <summary>Counts every engine's failures (<see cref="MeteredLabEngine"/>): each engine is wrapped as the engine list is built.</summary>
    public static IServiceCollection AddEngineMetrics(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILabEngineDecorator, EngineMetricsDecorator>());
        return services;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<MeterProvider>() is not null)
        {
            app.MapPrometheusScrapingEndpoint(MetricsPath, meterProvider: null, configureBranchedPipeline: branch => branch.Use(MetricsAccess.InvokeAsync), optionsName: null)
                .ExcludeFromDescription();
        }

        return app;
    }

}

internal sealed class EngineMetricsDecorator(LabMetrics metrics) : ILabEngineDecorator
{
    public ILabEngine Decorate(ILabEngine engine) => MeteredLabEngine.Wrap(engine, metrics);
}
