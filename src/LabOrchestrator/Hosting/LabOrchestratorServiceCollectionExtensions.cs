using LabOrchestrator.Doctor;
using LabOrchestrator.Engines;
using LabOrchestrator.Guides;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Hosting;

public static class LabOrchestratorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the lab catalogue, sessions and users with a SQLite store, or the database configured by
    /// <see cref="DatabaseOptions"/> (services.Configure&lt;DatabaseOptions&gt;, the "Database" section). Add an engine on the
    /// returned builder (for example AddPodmanEngine) and call <see cref="LabOrchestratorDatabase.MigrateAsync"/> once at start-up.
    /// </summary>
    public static LabOrchestratorBuilder AddLabOrchestrator(this IServiceCollection services, Action<LabOrchestratorOptions>? configure = null)
    {
        var options = services.AddOptions<LabOrchestratorOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options
            .Validate(o => !string.IsNullOrWhiteSpace(o.DatabasePath), "LabOrchestrator:DatabasePath must name a file.")
            .Validate(o => o.StartTimeout > TimeSpan.Zero, "LabOrchestrator:StartTimeout must be positive.")
            .Validate(o => o.MaxConcurrentStarts is >= 1 and <= 1000, "LabOrchestrator:MaxConcurrentStarts must be between 1 and 1000.")
            .Validate(o => o.GeneratedPasswordLength is >= 8 and <= 128, "LabOrchestrator:GeneratedPasswordLength must be between 8 and 128.")
            .Validate(o => o.Recovery.HeartbeatInterval > TimeSpan.Zero && o.Recovery.HeartbeatTimeout > 2 * o.Recovery.HeartbeatInterval,
                "LabOrchestrator:Recovery:HeartbeatInterval must be positive and HeartbeatTimeout more than twice as long.")
            .Validate(o => o.Recovery.ReconcileInterval > TimeSpan.Zero, "LabOrchestrator:Recovery:ReconcileInterval must be positive.")
            .Validate(o => o.MaxSavedSessionsPerUser >= 0, "LabOrchestrator:MaxSavedSessionsPerUser must be 0 or more.")
            .ValidateOnStart();

        services.AddOptions<DatabaseOptions>()
            .Validate(o => DatabaseProviders.IsKnown(o.Provider), "Database:Provider must be sqlite or postgresql.")
            .Validate(o => !DatabaseProviders.IsPostgreSql(o.Provider) || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:ConnectionString must be set when Database:Provider is postgresql.")
            .ValidateOnStart();
        services.AddOptions<EngineOptions>();
        services.TryAddSingleton<ILabEngines, LabEngines>();
        services.AddOptions<LabPolicyOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LabPolicyOptions>, LabPolicyValidation>());

        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton<StoreDatabase>();
        services.TryAddSingleton<DatabaseLock>();
        services.TryAddSingleton<IDbContextFactory<LabOrchestratorDbContext>, LabOrchestratorDbContextFactory>();
        services.TryAddSingleton<ILabCatalog, LabCatalog>();
        services.TryAddSingleton<ISessionService, SessionService>();
        services.TryAddSingleton<OperationOwner>();
        services.TryAddSingleton<StartSlots>();
        services.TryAddSingleton<InstanceIdentity>();
        services.TryAddSingleton<ISessionReconciler, EngineReconcilers>();
        services.TryAddSingleton<Pools.PoolSettings>();
        services.TryAddSingleton<IUserDirectory, UserDirectory>();
        services.TryAddSingleton<LabOrchestratorDatabase>();
        services.TryAddSingleton<IGuideProgressStore, GuideProgressStore>();
        services.TryAddSingleton<GuideSnapshots>();
        services.TryAddSingleton<HostDoctor>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostCheckSource, DatabaseHostChecks>());
        return new LabOrchestratorBuilder(services);
    }
}
