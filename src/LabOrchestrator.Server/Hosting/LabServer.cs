using System.Text.Json.Serialization;
using LabOrchestrator.Doctor;
using LabOrchestrator.Engines;
using LabOrchestrator.Hosting;
using LabOrchestrator.Kubernetes;
using LabOrchestrator.Persistence;
using LabOrchestrator.Podman;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Gateway;
using LabOrchestrator.Server.Guides;
using LabOrchestrator.Server.Labs;
using LabOrchestrator.Server.Observability;
using LabOrchestrator.Server.Persist;
using LabOrchestrator.Server.Sessions;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace LabOrchestrator.Server.Hosting;

/// <summary>Builds the server: REST API under /api, the gateway under /gateway, OpenAPI and API docs, health endpoints.</summary>
public static class LabServer
{
    /// <summary>
    /// Builds a ready-to-run server from command-line arguments (<c>--Server:Urls=…</c>, <c>--LabOrchestrator:DatabasePath=…</c>),
    /// environment variables (<c>Server__Urls</c>) and appsettings.json, migrates its database and creates the first admin.
    /// <paramref name="configure"/> runs before the server adds its services; <paramref name="replaceServices"/> runs after,
    /// so an embedding program or a test can replace one (the engine, the clock).
    /// </summary>
    public static async Task<WebApplication> BuildAsync(
        string[] args,
        Action<WebApplicationBuilder>? configure = null,
        CancellationToken cancellationToken = default,
        Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // EF Core logs every SQL statement at Information; that is noise for operators (configuration can still raise it).
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        configure?.Invoke(builder);
        var listeners = Listeners.FromConfiguration(builder.Configuration);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("Server:MaxUploadBytes") ?? new ServerOptions().MaxUploadBytes;
            // Kestrel's default (64 KB) makes every desktop frame (up to 256 KB) wait for the socket to drain before the
            // bridge reads the next chunk; 512 KB lets one frame queue while the previous one is being sent.
            k.Limits.MaxResponseBufferSize = 512 * 1024;
            listeners.Configure(k);
        });

        var services = builder.Services;
        services.AddSingleton(listeners);
        services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName)
            .Validate(o => o.MaxUploadBytes > 0, "Server:MaxUploadBytes must be positive.")
            .Validate(o => SecurityHeaders.Check(o.FrameAncestors) is null, "Server:FrameAncestors must be 'self', 'none', or space-separated frame-ancestors sources such as 'self' https://moodle.example.com (schemes like https:, origins, or wildcards like https://*.example.com).")
            .ValidateOnStart();
        services.Configure<DatabaseOptions>(builder.Configuration.GetSection(DatabaseOptions.SectionName));
        services.AddLabOrchestrator(o => builder.Configuration.GetSection(LabOrchestratorOptions.SectionName).Bind(o))
            .AddPodmanEngine(o => builder.Configuration.GetSection("Podman").Bind(o))
            .AddKubernetesEngine(
                o => builder.Configuration.GetSection(KubernetesOptions.SectionName).Bind(o),
                o => builder.Configuration.GetSection(KubernetesOptions.SectionName).Bind(o));
        // Engine:Default picks the engine of new sessions; each session keeps the one it started on.
        services.Configure<EngineOptions>(builder.Configuration.GetSection(EngineOptions.SectionName));
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi("v1");
        services.AddAccounts();
        services.AddAccountEndpoints(builder.Configuration);
        services.AddAudit();
        services.AddLabsApi();
        services.AddSessionsApi(builder.Configuration);
        services.AddGateway(builder.Configuration);
        services.AddGuidesApi();
        services.AddObservability(builder.Configuration);
        services.AddPersistApi();
        replaceServices?.Invoke(services);
        services.AddEngineMetrics();

        var app = builder.Build();
        app.UseExceptionHandler();
        // The web-ports listener serves nodes' web ports and nothing else: no API, no web app, no login cookie.
        app.MapWhen(Listeners.IsWebPortsRequest, ports =>
        {
            ports.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
            ports.Use(SessionLogScope.InvokeForWebPortAsync);
            ports.Run(WebPortEndpoint.HandleAsync);
        });
        app.UseSecurityHeaders();
        app.UseWebApp();
        app.UseStatusCodePages();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAccountEndpoints();
        app.Use(SessionLogScope.InvokeAsync);

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", o => o.WithTitle("Lab Orchestrator API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapHealth();
        app.MapMetrics();
        var api = app.MapGroup("/api");
        api.MapAccountsApi();
        api.MapAuditApi();
        api.MapLabsApi();
        api.MapSessionsApi();
        Pools.PoolEndpoints.MapPoolsApi(api);
        api.MapGuidesApi();
        api.MapPersistApi();
        app.MapGateway();

        // A bad setting must stop the server before it writes anything (the first admin's password is shown only once).
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
        if (app.Services.GetRequiredService<IOptions<ServerOptions>>().Value.CheckHost)
        {
            var report = await app.Services.GetRequiredService<HostDoctor>().CheckAsync(cancellationToken);
            if (!report.Healthy)
            {
                throw new HostNotReadyException(report);
            }
        }

        await app.Services.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(cancellationToken);
        // Replicas starting together on an empty database: one makes the first admin, the others then find it.
        await using (await app.Services.GetRequiredService<DatabaseLock>().AcquireAsync("admin-bootstrap", cancellationToken))
        {
            await AdminBootstrap.EnsureAdminAsync(app.Services, cancellationToken);
        }
        return app;
    }
}
