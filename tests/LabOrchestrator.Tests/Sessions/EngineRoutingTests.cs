using LabOrchestrator.Engines;
using LabOrchestrator.Hosting;
using LabOrchestrator.Labs;
using LabOrchestrator.Persistence;
using LabOrchestrator.Sessions;
using LabOrchestrator.Tests.Recovery;
using LabOrchestrator.Tests.Support;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Tests.Sessions;

/// <summary>
/// Engines registered by name: Engine:Default picks where new sessions start, and every later call about a session goes
/// to the engine it started on, also after the default changed (a new process on the same database).
/// </summary>
public sealed class EngineRoutingTests : IDisposable
{
    private readonly TempDirectory temp = new();
    private readonly FakeLabEngine alpha = new() { Name = "alpha" };
    private readonly FakeLabEngine beta = new() { Name = "beta" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => temp.Dispose();

    private async Task<ServiceProvider> ProcessAsync(string? defaultEngine, bool withBeta = true)
    {
        var services = new ServiceCollection();
        var builder = services.AddLabOrchestrator(o => o.DatabasePath = temp.File("store.db"));
        builder.AddEngine("alpha", _ => alpha);
        if (withBeta)
        {
            builder.AddEngine("beta", _ => beta);
        }

        services.Configure<EngineOptions>(o => o.Default = defaultEngine);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(Ct);
        await provider.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(RecoveryHost.LabYaml, "pair/lab.yaml", null), Ct);
        return provider;
    }

    [Fact]
    public async Task NewSessions_StartOnTheDefault_AndOldOnesStopOnTheirOwnEngineAfterTheDefaultChanged()
    {
        string first;
        await using (var before = await ProcessAsync("alpha"))
        {
            var session = await before.GetRequiredService<ISessionService>().StartAsync("pair", new UserRef("ann"), cancellationToken: Ct);
            Assert.Equal("alpha", session.Engine);
            first = session.Id;
        }

        await using var after = await ProcessAsync("beta");
        var sessions = after.GetRequiredService<ISessionService>();
        var second = await sessions.StartAsync("pair", new UserRef("bob"), cancellationToken: Ct);
        await sessions.ExecAsync(first, "server", ["true"], TimeSpan.FromSeconds(5), Ct);
        await sessions.StopAsync(first, Ct);

        Assert.Equal("beta", second.Engine);
        Assert.True(beta.Holds(second.Id));
        Assert.False(alpha.Holds(first));
        Assert.Equal(1, alpha.Deletes.GetValueOrDefault(first));
        Assert.Equal(0, beta.Deletes.GetValueOrDefault(first));
        Assert.Contains(alpha.Commands, c => c.Session == first);
        Assert.DoesNotContain(beta.Commands, c => c.Session == first);
    }

    [Fact]
    public async Task SessionOfAnEngineNoLongerConfigured_IsRefusedWithAMessageNamingTheConfiguredOnes()
    {
        string id;
        await using (var before = await ProcessAsync("beta"))
        {
            id = (await before.GetRequiredService<ISessionService>().StartAsync("pair", new UserRef("ann"), cancellationToken: Ct)).Id;
        }

        await using var after = await ProcessAsync("alpha", withBeta: false);
        var refused = await Assert.ThrowsAsync<EngineException>(() => after.GetRequiredService<ISessionService>().StopAsync(id, Ct));

        Assert.Contains("No engine 'beta' is configured", refused.Message, StringComparison.Ordinal);
        Assert.Contains("configured: alpha", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DefaultNamingAnEngineThatIsNotConfigured_SaysWhichOnesAre()
    {
        await using var provider = await ProcessAsync("kubernetes");

        var wrong = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ILabEngines>().Default);

        Assert.Contains("Engine:Default is 'kubernetes'", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("alpha, beta", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EngineNotAvailableHere_IsLeftOutOfTheList()
    {
        var services = new ServiceCollection();
        services.AddLabOrchestrator(o => o.DatabasePath = temp.File("store.db"))
            .AddEngine("alpha", _ => alpha)
            .AddEngine("beta", _ => throw new InvalidOperationException("not to be made"), isAvailable: _ => false);
        await using var provider = services.BuildServiceProvider();

        var engines = provider.GetRequiredService<ILabEngines>();

        Assert.Equal(["alpha"], engines.All.Select(e => e.Name));
        Assert.Same(alpha, engines.Default);
    }

    [Fact]
    public async Task Reconciler_RepairsTheSessionsOfEveryEngine()
    {
        await using var provider = await ProcessAsync("alpha");
        var sessions = provider.GetRequiredService<ISessionService>();
        var onAlpha = await sessions.StartAsync("pair", new UserRef("ann"), cancellationToken: Ct);
        alpha.VanishNode(onAlpha.Id, "client");
        await using var other = await ProcessAsync("beta");
        var onBeta = await other.GetRequiredService<ISessionService>().StartAsync("pair", new UserRef("bob"), cancellationToken: Ct);
        beta.VanishNode(onBeta.Id, "server");

        var report = await provider.GetRequiredService<ISessionReconciler>().ReconcileAsync(cancellationToken: Ct);

        Assert.Equal(2, report.Count(ReconcileActionKind.FailedVanished));
        Assert.False(alpha.Holds(onAlpha.Id));
        Assert.False(beta.Holds(onBeta.Id));
    }
}
