using LabOrchestrator.Engines;
using LabOrchestrator.Hosting;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Tests.Recovery;

/// <summary>
/// One process of the library (the server, or a labctl) on a shared SQLite file, a shared <see cref="FakeLabEngine"/> and
/// a shared fake clock; two of them on one file act as two processes that share a database.
/// </summary>
internal sealed class RecoveryHost : IAsyncDisposable
{
    public const string LabYaml = """
        name: pair
        nodes:
          - name: server
            image: localhost/lab-base:latest
          - name: client
            image: localhost/lab-base:latest
        """;

    private readonly ServiceProvider provider;

    private RecoveryHost(ServiceProvider provider, FakeLabEngine engine, FakeTimeProvider clock)
    {
        this.provider = provider;
        Engine = engine;
        Clock = clock;
    }

    public FakeLabEngine Engine { get; }
    public FakeTimeProvider Clock { get; }
    public ISessionService Sessions => provider.GetRequiredService<ISessionService>();
    public ISessionReconciler Reconciler => provider.GetRequiredService<ISessionReconciler>();
    public RecoveryOptions Options => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<LabOrchestratorOptions>>().Value.Recovery;
    public string OwnerId => provider.GetRequiredService<OperationOwner>().Id;

    public static async Task<RecoveryHost> StartAsync(
        string databasePath, FakeLabEngine engine, FakeTimeProvider clock, IReconcileObserver? observer = null, Action<LabOrchestratorOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<ILabEngine>(engine);
        if (observer is not null)
        {
            services.AddSingleton(observer);
        }

        services.AddLabOrchestrator(o =>
        {
            o.DatabasePath = databasePath;
            configure?.Invoke(o);
        });
        var host = new RecoveryHost(services.BuildServiceProvider(), engine, clock);
        await host.provider.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(TestContext.Current.CancellationToken);
        await host.provider.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(LabYaml, "pair/lab.yaml", null), TestContext.Current.CancellationToken);
        return host;
    }

    public Task<string> InstanceAsync() => provider.GetRequiredService<InstanceIdentity>().GetAsync(TestContext.Current.CancellationToken);

    public async Task<Session> StartRunningAsync(string user = "ann") =>
        await Sessions.StartAsync("pair", new UserRef(user), cancellationToken: TestContext.Current.CancellationToken);

    public async Task<Session> GetAsync(string sessionId) =>
        await Sessions.GetAsync(sessionId, TestContext.Current.CancellationToken) ?? throw new InvalidOperationException($"No session {sessionId}.");

    /// <summary>Rewrites a session's row as a process killed mid-operation leaves it: the state, and a heartbeat that stopped.</summary>
    public async Task LeaveAsKilledAsync(string sessionId, SessionState state, TimeSpan heartbeatAge, string owner = "dead-host/4242/0123456789ab")
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<LabOrchestratorDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var row = await db.Sessions.FirstAsync(s => s.Id == sessionId, TestContext.Current.CancellationToken);
        row.State = state;
        row.OperationOwner = owner;
        row.OperationHeartbeat = Clock.GetUtcNow() - heartbeatAge;
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }

    public async Task<(string? Owner, DateTimeOffset? Heartbeat)> OperationAsync(string sessionId)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<LabOrchestratorDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);
        var row = await db.Sessions.AsNoTracking().FirstAsync(s => s.Id == sessionId, TestContext.Current.CancellationToken);
        return (row.OperationOwner, row.OperationHeartbeat);
    }

    public ValueTask DisposeAsync() => provider.DisposeAsync();
}
