using LabOrchestrator.Hosting;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Podman.Tests.Sessions;

/// <summary>The library as an embedding program wires it: a real SQLite file and the real Podman engine.</summary>
internal sealed class SessionHost : IAsyncDisposable
{
    private readonly ServiceProvider provider;
    private readonly string folder;

    private SessionHost(ServiceProvider provider, string folder)
    {
        this.provider = provider;
        this.folder = folder;
    }

    public ILabCatalog Catalog => provider.GetRequiredService<ILabCatalog>();
    public ISessionService Sessions => provider.GetRequiredService<ISessionService>();
    public Engines.ILabEngine Engine => provider.GetRequiredService<Engines.ILabEngines>().Default;

    public static async Task<SessionHost> StartAsync(CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("labo-sessions-").FullName;
        var services = new ServiceCollection();
        services.AddLabOrchestrator(o =>
        {
            o.DatabasePath = Path.Combine(folder, "store.db");
            o.StartTimeout = TimeSpan.FromMinutes(2);
        }).AddPodmanEngine();
        var host = new SessionHost(services.BuildServiceProvider(), folder);
        await host.provider.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(cancellationToken);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        // Whatever a test left running is stopped, so a failed assertion leaks nothing.
        foreach (var session in await Sessions.ListAsync(new SessionQuery { ActiveOnly = true }, CancellationToken.None))
        {
            await Sessions.StopAsync(session.Id, CancellationToken.None);
        }

        await provider.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }
}
