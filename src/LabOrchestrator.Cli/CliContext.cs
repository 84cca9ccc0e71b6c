using System.CommandLine;
using LabOrchestrator.Cli.Rendering;
using LabOrchestrator.Engines;
using LabOrchestrator.Hosting;
using LabOrchestrator.Kubernetes;
using LabOrchestrator.Persistence;
using LabOrchestrator.Podman;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabOrchestrator.Cli;

/// <summary>What every command needs: the console, the global options, and a way to build the library's services.</summary>
internal sealed class CliContext(LabctlConsole console, GlobalOptions options, Action<IServiceCollection>? configureServices)
{
    public LabctlConsole Console { get; } = console;
    public GlobalOptions Options { get; } = options;

    public OutputFormat Format(ParseResult result) => result.GetValue(Options.Output);

    public CliOutput Output(ParseResult result) => new(Console, Format(result));

    /// <summary>Builds the services for one command and brings the database schema up to date.</summary>
    public async Task<ServiceProvider> CreateServicesAsync(ParseResult result, CancellationToken cancellationToken)
    {
        var provider = CreateServices(result);
        try
        {
            await provider.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(cancellationToken);
            return provider;
        }
        catch
        {
            await provider.DisposeAsync();
            throw;
        }
    }

    /// <summary>Builds the services for one command, leaving the database as it is; <paramref name="configure"/> adds settings of the command's own.</summary>
    public ServiceProvider CreateServices(ParseResult result, Action<IServiceCollection>? configure = null)
    {
        var databasePath = Path.GetFullPath(result.GetValue(Options.Database)!);
        var podmanSocket = result.GetValue(Options.PodmanSocket);
        var verbose = result.GetValue(Options.Verbose);

        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            if (verbose)
            {
                logging.SetMinimumLevel(LogLevel.Debug);
                // SQL text is noise for labctl users; EF Core still reports its warnings.
                logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
                logging.AddSimpleConsole(o => o.SingleLine = true);
                logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            }
            else
            {
                logging.SetMinimumLevel(LogLevel.None);
            }
        });
        // The server's engine settings, from the same environment variables it reads (Engine__Default,
        // Kubernetes__Kubeconfig, Podman__SocketPath), so labctl acts on sessions of every engine the server runs.
        var settings = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        services.Configure<EngineOptions>(settings.GetSection(EngineOptions.SectionName));
        // And its database (Database__Provider, Database__ConnectionString): PostgreSQL instead of the --database file.
        services.Configure<DatabaseOptions>(settings.GetSection(DatabaseOptions.SectionName));
        services
            .AddLabOrchestrator(o =>
            {
                o.DatabasePath = databasePath;
                // labctl exits right after a start: a shell opened for a terminal would be closed unused.
                o.PrepareTerminals = false;
            })
            .AddPodmanEngine(o =>
            {
                settings.GetSection("Podman").Bind(o);
                if (podmanSocket is not null)
                {
                    o.SocketPath = podmanSocket;
                }
            })
            .AddKubernetesEngine(
                o => settings.GetSection(KubernetesOptions.SectionName).Bind(o),
                o => settings.GetSection(KubernetesOptions.SectionName).Bind(o));
        // The server's audit table (labctl records its imports, removals and stops there); migrated with the library's.
        Server.Accounts.Persistence.AccountsStoreServiceCollectionExtensions.AddAccountsStore(services);
        configure?.Invoke(services);
        configureServices?.Invoke(services);
        return services.BuildServiceProvider();
    }
}
