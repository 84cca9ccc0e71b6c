using System.Net;
using LabOrchestrator.Persistence;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Sessions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class DeleteUserWithSessionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeleteUser_WithARunningSession_Answers409_AndOnceStoppedDeletesThemWithTheirSessions()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        await server.UserAsync("lena", Roles.Learner, Ct);
        var contexts = server.Services.GetRequiredService<IDbContextFactory<LabOrchestratorDbContext>>();

        // A session row only: the engine never sees it, so nothing runs that would need stopping.
        await using (var db = await contexts.CreateDbContextAsync(Ct))
        {
            db.Sessions.Add(new SessionEntity { Id = "s-lena-1", LabName = "two-hosts", UserId = "lena", Engine = "podman", State = SessionState.Running, LabYaml = "" });
            await db.SaveChangesAsync(Ct);
        }

        using var refused = await admin.DeleteAsync("/api/users/lena", Ct);
        var detail = (await AccountsServer.ProblemAsync(refused, Ct)).GetProperty("detail").GetString();
        await using (var db = await contexts.CreateDbContextAsync(Ct))
        {
            await db.Sessions.Where(s => s.Id == "s-lena-1").ExecuteUpdateAsync(s => s.SetProperty(e => e.State, SessionState.Stopped), Ct);
        }

        using var deleted = await admin.DeleteAsync("/api/users/lena", Ct);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("s-lena-1", detail, StringComparison.Ordinal);
        Assert.Contains("stop them first", detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await using var check = await contexts.CreateDbContextAsync(Ct);
        Assert.False(await check.Sessions.AnyAsync(s => s.UserId == "lena", Ct));
    }
}
