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
/// An engine that cannot pause a lab's sessions (the Kubernetes engine with container nodes) says so through
/// <see cref="ILabEngine.PauseRefusal"/>: the learner gets that sentence as a refusal, the session keeps running and the
/// engine is never asked to pause.
/// </summary>
public sealed class PauseRefusalTests : IDisposable
{
    private readonly TempDirectory temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Pause_OnAnEngineThatRefusesTheLab_IsRefusedWithItsReason_AndTheSessionKeepsRunning()
    {
        var engine = new FakeLabEngine { PauseRefusedFor = lab => $"node '{lab.Nodes[0].Name}' cannot be frozen here" };
        await using var provider = await ProcessAsync(engine);
        var sessions = provider.GetRequiredService<ISessionService>();
        var session = await sessions.StartAsync("pair", new UserRef("ann"), cancellationToken: Ct);

        var refused = await Assert.ThrowsAsync<SessionLifecycleException>(() => sessions.PauseAsync(session.Id, Ct));

        Assert.Equal(("cannot-pause", "node 'server' cannot be frozen here"), (refused.Code, refused.Message));
        Assert.False(engine.IsPaused(session.Id));
        Assert.Equal(SessionState.Running, (await sessions.GetAsync(session.Id, Ct))!.State);
    }

    [Fact]
    public async Task Pause_OnAnEngineThatCanPauseTheLab_Pauses()
    {
        var engine = new FakeLabEngine();
        await using var provider = await ProcessAsync(engine);
        var sessions = provider.GetRequiredService<ISessionService>();
        var session = await sessions.StartAsync("pair", new UserRef("ann"), cancellationToken: Ct);

        var paused = await sessions.PauseAsync(session.Id, Ct);

        Assert.Equal(SessionState.Paused, paused.State);
        Assert.True(engine.IsPaused(session.Id));
    }

    private async Task<ServiceProvider> ProcessAsync(FakeLabEngine engine)
    {
        var services = new ServiceCollection();
        services.AddLabOrchestrator(o => o.DatabasePath = temp.File("store.db")).AddEngine("fake", _ => engine);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<LabOrchestratorDatabase>().MigrateAsync(Ct);
        await provider.GetRequiredService<ILabCatalog>().AddOrUpdateAsync(new LabSource(RecoveryHost.LabYaml, "pair/lab.yaml", null), Ct);
        return provider;
    }
}
