using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Persistence;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Sessions;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LabOrchestrator.Server.Tests.Recovery;

/// <summary>The server's reconciler loop and graceful shutdown, on the fake engine and a fake clock.</summary>
public sealed class ServerRecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StuckStart_OnceReconciled_NoLongerCountsAgainstTheQuota()
    {
        var engine = new FakeLabEngine();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, clock, new Dictionary<string, string?> { ["Quotas:PerUser"] = "1" }, Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "two-hosts", Ct);
        engine.HoldApplies();
        var id = await StartAsync(learner);
        await WaitAsync(() => Task.FromResult(engine.Holds(id)));
        // As a killed process leaves it: Starting, owned by a process that stopped beating a while ago.
        await RewriteAsync(server, id, row =>
        {
            row.OperationOwner = "killed-server/1/000000000000";
            row.OperationHeartbeat = clock.GetUtcNow() - TimeSpan.FromMinutes(5);
        });
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SessionsApi.StartAsync(learner, "two-hosts", Ct)).StatusCode);

        var reconciler = server.Services.GetRequiredService<ReconcilerService>();
        var passes = reconciler.Passes;
        clock.Advance(TimeSpan.FromMinutes(1));
        await WaitAsync(() => Task.FromResult(reconciler.Passes > passes));

        var stuck = await server.Services.GetRequiredService<ISessionService>().GetAsync(id, Ct);
        Assert.Equal(SessionState.Failed, stuck!.State);
        Assert.Equal(RecoveryFailures.InterruptedReason, stuck.FailureReason);
        Assert.False(engine.Holds(id));
        engine.ReleaseApplies();
        Assert.Equal(HttpStatusCode.Accepted, (await SessionsApi.StartAsync(learner, "two-hosts", Ct)).StatusCode);
    }

    [Fact]
    public async Task Shutdown_DuringAStart_LeavesTheSessionFailedAndNothingRunning()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "two-hosts", Ct);
        engine.HoldApplies();
        var id = await StartAsync(learner);
        await WaitAsync(() => Task.FromResult(engine.Holds(id)));

        await server.StopServerAsync();

        var session = await server.Services.GetRequiredService<ISessionService>().GetAsync(id, Ct);
        Assert.Equal(SessionState.Failed, session!.State);
        Assert.Equal(RecoveryFailures.InterruptedReason, session.FailureReason);
        Assert.False(engine.Holds(id));
    }

    private static async Task<string> StartAsync(HttpClient learner)
    {
        var start = await SessionsApi.StartAsync(learner, "two-hosts", Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        return (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    private static async Task RewriteAsync(ServerHost server, string id, Action<SessionEntity> change)
    {
        await using var db = await server.Services.GetRequiredService<IDbContextFactory<LabOrchestratorDbContext>>().CreateDbContextAsync(Ct);
        var row = await db.Sessions.FirstAsync(s => s.Id == id, Ct);
        change(row);
        await db.SaveChangesAsync(Ct);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
