using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Pools;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Sessions;
using LabOrchestrator.Users;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Pools;

/// <summary>Warm pools on the fake engine and a fake clock: filling, claiming, refilling, shrinking, capacity and quotas.</summary>
public sealed class WarmPoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Pool_OfAPublishedLab_FillsToItsSize_OwnedByThePoolAndHiddenFromLearners()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        var (learner, _) = await server.LearnerAsync("lea", Ct);
        await server.PublishAsync("pooled", 2, Ct);

        await server.WaitForPoolAsync("pooled", 2, Ct);

        var pooled = await server.PooledAsync(Ct);
        Assert.Equal(2, pooled.Count);
        Assert.All(pooled, s => Assert.Equal(PoolOwner.UserId, s.GetProperty("userId").GetString()));
        Assert.All(pooled, s => Assert.True(server.Engine.Holds(s.GetProperty("id").GetString()!)));
        // Learners can neither list, open nor stop them.
        var mine = await learner.GetFromJsonAsync<JsonElement>("/api/sessions", Ct);
        Assert.Equal(0, mine.GetArrayLength());
        var id = pooled[0].GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.GetAsync($"/api/sessions/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.DeleteAsync($"/api/sessions/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.GetAsync($"/api/sessions/{id}/events", Ct)).StatusCode);
        Assert.True(server.Engine.Holds(id));
        // The pool's owner is no account: not listed, and nobody can sign in as it.
        var users = await server.Admin.GetFromJsonAsync<JsonElement>("/api/users", Ct);
        Assert.DoesNotContain(users.EnumerateArray(), u => u.GetProperty("id").GetString() == PoolOwner.UserId);
        var login = await server.Host.Anonymous().PostAsJsonAsync("/api/auth/login", new { userId = PoolOwner.UserId, password = "" }, Ct);
        Assert.False(login.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Start_WithAReadyPoolSession_ClaimsIt_RunningAtOnce_WithFreshPasswordsAndItsTimeFromTheClaim()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        var (learner, _) = await server.LearnerAsync("lea", Ct);
        await server.PublishAsync("pooled", 1, Ct);
        await server.WaitForPoolAsync("pooled", 1, Ct);
        var poolId = (await server.PooledAsync(Ct))[0].GetProperty("id").GetString()!;
        var poolPassword = Password(await server.Admin.GetFromJsonAsync<JsonElement>($"/api/sessions/{poolId}", Ct));
        server.Clock.Advance(TimeSpan.FromMinutes(20));

        var start = await SessionsApi.StartAsync(learner, "pooled", Ct);

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var claimed = await start.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(poolId, claimed.GetProperty("id").GetString());
        Assert.Equal("Running", claimed.GetProperty("state").GetString());
        Assert.Equal("lea", claimed.GetProperty("userId").GetString());
        Assert.False(claimed.GetProperty("pooled").GetBoolean());
        Assert.Equal(server.Clock.GetUtcNow(), claimed.GetProperty("claimedAt").GetDateTimeOffset());
        Assert.Equal(server.Clock.GetUtcNow().AddHours(1), claimed.GetProperty("expiresAt").GetDateTimeOffset());
        Assert.Equal(3600, claimed.GetProperty("timeLeftSeconds").GetInt64());
        var fresh = Password(claimed);
        Assert.NotEqual(poolPassword, fresh);
        Assert.Equal(16, fresh.Length);
        // The new password was set inside the node that has the credential, and only there.
        var set = server.Engine.Commands.Where(c => c.Session == poolId).ToList();
        var command = Assert.Single(set);
        Assert.Equal("box", command.Node);
        Assert.Contains("chpasswd", command.Command[2], StringComparison.Ordinal);
        Assert.Equal(["learner", fresh], command.Command.Skip(4));
        // The learner's own view says the same, and the events of the session end at once.
        var events = await SessionsApi.FollowAsync(learner, poolId, Ct);
        Assert.Equal("Running", events[^1].GetProperty("state").GetString());
        Assert.Equal(fresh, Password(await learner.GetFromJsonAsync<JsonElement>($"/api/sessions/{poolId}", Ct)));

        // The pool refills in the background.
        await server.WaitForPoolAsync("pooled", 1, Ct);
        Assert.NotEqual(poolId, (await server.PooledAsync(Ct))[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Claim_HoldsOffItsLabsRefill_ForTheDelayAfterAClaim()
    {
        await using var server = await PoolServer.StartAsync(Ct, new Dictionary<string, string?> { ["Pools:RefillDelayAfterClaim"] = "00:00:02" });
        var (learner, _) = await server.LearnerAsync("lea", Ct);
        await server.PublishAsync("pooled", 1, Ct);
        await server.WaitForPoolAsync("pooled", 1, Ct);

        await SessionsApi.StartAsync(learner, "pooled", Ct);
        // A periodic pass within the delay does not start the next pool session either.
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var pool = await server.PoolAsync("pooled", Ct);
        Assert.Equal(0, pool.GetProperty("ready").GetInt32() + pool.GetProperty("starting").GetInt32());

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await server.WaitForPoolAsync("pooled", 1, Ct);
    }

    [Fact]
    public async Task Claim_OpensTheFirstTerminalAhead_WhichTheLearnersFirstOpenGetsAtItsSize_AndOnlyThatOpen()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        var (learner, _) = await server.LearnerAsync("lea", Ct);
        await server.PublishAsync("pooled", 1, Ct);
        await server.WaitForPoolAsync("pooled", 1, Ct);
        var poolId = (await server.PooledAsync(Ct))[0].GetProperty("id").GetString()!;
        // Opened when the pool session became Running, on the first node that offers a terminal, and kept until a claim.
        var prepared = Assert.Single(server.Engine.Terminals, t => t.SessionId == poolId);
        Assert.Equal("box", prepared.Node);
        server.Clock.Advance(PreparedTerminals.Lifetime * 2);
        Assert.False(prepared.IsClosed);

        await SessionsApi.StartAsync(learner, "pooled", Ct);

        Assert.Single(server.Engine.Terminals, t => t.SessionId == poolId);
        var sessions = server.Host.Services.GetRequiredService<ISessionService>();
        var first = await sessions.OpenTerminalAsync(poolId, "box", new LabOrchestrator.Engines.TerminalOptions { Columns = 132, Rows = 43 }, Ct);
        Assert.Same(prepared, first);
        Assert.Equal(((ushort)132, (ushort)43), prepared.Size);
        var second = await sessions.OpenTerminalAsync(poolId, "box", new LabOrchestrator.Engines.TerminalOptions(), Ct);
        Assert.NotSame(first, second);
        Assert.Equal(2, server.Engine.Terminals.Count(t => t.SessionId == poolId));
        // Another command, or another user, than the prepared login shell never gets it.
        var again = await server.PoolStartAndClaimAsync("leo", Ct);
        var other = Assert.Single(server.Engine.Terminals, t => t.SessionId == again.Id);
        var asRoot = await sessions.OpenTerminalAsync(again.Id, "box", new LabOrchestrator.Engines.TerminalOptions { User = "root" }, Ct);
        Assert.NotSame(other, asRoot);
        var command = await sessions.OpenTerminalAsync(again.Id, "box", new LabOrchestrator.Engines.TerminalOptions { Command = ["top"] }, Ct);
        Assert.NotSame(other, command);
        Assert.Same(other, await sessions.OpenTerminalAsync(again.Id, "box", new LabOrchestrator.Engines.TerminalOptions(), Ct));
    }

    [Fact]
    public async Task PreparedTerminal_NotTakenWithinItsLifetime_OrWhoseSessionStops_IsClosed()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        await server.PublishAsync("pooled", 1, Ct);
        var expiring = await server.PoolStartAndClaimAsync("lea", Ct);
        var unused = Assert.Single(server.Engine.Terminals, t => t.SessionId == expiring.Id);

        server.Clock.Advance(PreparedTerminals.Lifetime);

        Assert.True(unused.IsClosed);
        var sessions = server.Host.Services.GetRequiredService<ISessionService>();
        var fresh = await sessions.OpenTerminalAsync(expiring.Id, "box", new LabOrchestrator.Engines.TerminalOptions(), Ct);
        Assert.NotSame(unused, fresh);

        var stopped = await server.PoolStartAndClaimAsync("leo", Ct);
        var orphan = Assert.Single(server.Engine.Terminals, t => t.SessionId == stopped.Id);
        Assert.Equal(HttpStatusCode.OK, (await stopped.Learner.DeleteAsync($"/api/sessions/{stopped.Id}", Ct)).StatusCode);
        Assert.True(orphan.IsClosed);
    }

    [Fact]
    public async Task Start_WhenSettingThePasswordsFails_StopsThatPoolSession_AndStartsColdInstead()
    {
        var engine = new FakeLabEngine { ExecHandler = (_, _, _) => new LabOrchestrator.Engines.ExecResult(1, "", "chpasswd: not found") };
        await using var server = await PoolServer.StartAsync(Ct, engine: engine);
        var (learner, _) = await server.LearnerAsync("lea", Ct);
        await server.PublishAsync("pooled", 1, Ct);
        await server.WaitForPoolAsync("pooled", 1, Ct);
        var poolId = (await server.PooledAsync(Ct))[0].GetProperty("id").GetString()!;

        var start = await (await SessionsApi.StartAsync(learner, "pooled", Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.NotEqual(poolId, start.GetProperty("id").GetString());
        Assert.Equal("Pending", start.GetProperty("state").GetString());
        Assert.False(start.TryGetProperty("claimedAt", out _));
        Assert.False(engine.Holds(poolId));
        // The terminal opened ahead in the session that never became the learner's was closed with it.
        Assert.All(engine.Terminals.Where(t => t.SessionId == poolId), t => Assert.True(t.IsClosed));
        var events = await SessionsApi.FollowAsync(learner, start.GetProperty("id").GetString()!, Ct);
        Assert.Equal("Running", events[^1].GetProperty("state").GetString());
        var mine = await learner.GetFromJsonAsync<JsonElement>("/api/sessions", Ct);
        Assert.Equal(1, mine.GetArrayLength());
    }

    [Fact]
    public async Task Pool_ShrinksWhenItsSizeIsLowered_WhenTheLabIsUnpublished_AndWhenItIsDeleted()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        await server.PublishAsync("pooled", 3, Ct);
        await server.WaitForPoolAsync("pooled", 3, Ct);
        var before = (await server.PooledAsync(Ct)).Select(s => s.GetProperty("id").GetString()!).ToList();

        var put = await server.Admin.PutAsJsonAsync("/api/labs/pooled/pool", new { size = 1 }, Ct);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var status = await put.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(1, status.GetProperty("size").GetInt32());
        Assert.Equal(3, status.GetProperty("labFileSize").GetInt32());
        Assert.Equal(1, status.GetProperty("overrideSize").GetInt32());
        await server.WaitForPoolAsync("pooled", 1, Ct);
        // "ready" drops as soon as a stop begins; the engine lets go when it ends.
        await PoolServer.WaitUntilAsync(() => Task.FromResult(before.Count(id => !server.Engine.Holds(id)) == 2), "two pool sessions removed", Ct);

        Assert.Equal(HttpStatusCode.OK, (await server.Admin.PostAsync("/api/labs/pooled/unpublish", null, Ct)).StatusCode);
        await server.WaitForPoolAsync("pooled", 0, Ct);
        Assert.Empty(await server.PooledAsync(Ct));
        Assert.All(before, id => Assert.False(server.Engine.Holds(id)));

        // Published again, with the override cleared, the lab file's size counts again; deleting the lab empties it.
        await server.Admin.PostAsync("/api/labs/pooled/publish", null, Ct);
        await server.Admin.PutAsJsonAsync("/api/labs/pooled/pool", new { size = (int?)null }, Ct);
        await server.WaitForPoolAsync("pooled", 3, Ct);
        Assert.Equal(HttpStatusCode.NoContent, (await server.Admin.DeleteAsync("/api/labs/pooled", Ct)).StatusCode);
        await PoolServer.WaitUntilAsync(async () => (await server.PooledAsync(Ct)).Count == 0, "the deleted lab's pool to empty", Ct);
    }

    [Fact]
    public async Task Pools_TogetherStayWithinPoolsCapacity()
    {
        await using var server = await PoolServer.StartAsync(Ct, new Dictionary<string, string?> { ["Pools:Capacity"] = "3" });
        await server.PublishAsync("alpha", 2, Ct);
        await server.PublishAsync("beta", 2, Ct);

        await PoolServer.WaitUntilAsync(async () => (await server.PooledAsync(Ct)).Count(s => s.GetProperty("state").GetString() == "Running") == 3,
            "three pool sessions", Ct);
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        var all = await server.Admin.GetFromJsonAsync<JsonElement>("/api/pools", Ct);

        Assert.Equal(3, (await server.PooledAsync(Ct)).Count);
        Assert.Equal(3, all.EnumerateArray().Sum(p => p.GetProperty("ready").GetInt32() + p.GetProperty("starting").GetInt32()));
        // Both labs got a share: one large pool does not starve the other.
        Assert.All(all.EnumerateArray(), p => Assert.True(p.GetProperty("ready").GetInt32() >= 1));
    }

    [Fact]
    public async Task PoolSessions_CountAgainstTheServersTotal_NeverAgainstALearnersQuota()
    {
        await using var server = await PoolServer.StartAsync(Ct, new Dictionary<string, string?> { ["Quotas:PerUser"] = "1", ["Quotas:Total"] = "3" });
        await server.PublishAsync("cold", null, Ct);
        await server.PublishAsync("pooled", 2, Ct);
        await server.WaitForPoolAsync("pooled", 2, Ct);
        var (lea, _) = await server.LearnerAsync("lea", Ct);
        var (leo, _) = await server.LearnerAsync("leo", Ct);
        var (lia, _) = await server.LearnerAsync("lia", Ct);

        // Two pool sessions do not use up Lea's one place.
        var first = await SessionsApi.StartAsync(lea, "pooled", Ct);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("Running", (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());
        // The claimed one is hers now: her quota is full.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SessionsApi.StartAsync(lea, "cold", Ct)).StatusCode);
        // The pool refills to the server's total (1 claimed + 2 pooled = 3) and no further.
        await server.WaitForPoolAsync("pooled", 2, Ct);
        var second = await SessionsApi.StartAsync(leo, "pooled", Ct);
        Assert.Equal("Running", (await second.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        await server.WaitForPoolAsync("pooled", 1, Ct);

        var third = await SessionsApi.StartAsync(lia, "cold", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        var problem = await third.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("total", problem.GetProperty("limit").GetString());
        Assert.Equal(3, problem.GetProperty("current").GetInt32());
    }

    [Fact]
    public async Task TwoLearners_RacingForTheLastPoolSession_NeverGetTheSameSession()
    {
        await using var server = await PoolServer.StartAsync(Ct, new Dictionary<string, string?> { ["Pools:MaxConcurrentStarts"] = "1" });
        await server.PublishAsync("pooled", 1, Ct);
        await server.WaitForPoolAsync("pooled", 1, Ct);
        var poolId = (await server.PooledAsync(Ct))[0].GetProperty("id").GetString()!;
        // Refills never come up during the race, so only one ready session exists.
        server.Engine.HoldApplies();
        var (lea, _) = await server.LearnerAsync("lea", Ct);
        var (leo, _) = await server.LearnerAsync("leo", Ct);

        var answers = await Task.WhenAll(SessionsApi.StartAsync(lea, "pooled", Ct), SessionsApi.StartAsync(leo, "pooled", Ct));
        var sessions = await Task.WhenAll(answers.Select(a => a.Content.ReadFromJsonAsync<JsonElement>(Ct)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        Assert.NotEqual(sessions[0].GetProperty("id").GetString(), sessions[1].GetProperty("id").GetString());
        var winner = Assert.Single(sessions, s => s.GetProperty("id").GetString() == poolId);
        Assert.Equal("Running", winner.GetProperty("state").GetString());
        server.Engine.ReleaseApplies();
    }

    [Fact]
    public async Task ClaimPooled_CalledConcurrentlyPastTheStartLock_GivesEachPoolSessionToOneClaimerOnly()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        await server.PublishAsync("pooled", 3, Ct);
        await server.WaitForPoolAsync("pooled", 3, Ct);
        server.Engine.HoldApplies();
        var sessions = server.Host.Services.GetRequiredService<ISessionService>();

        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Task.Run(() => sessions.ClaimPooledAsync("pooled", new UserRef($"racer{i}"), Ct), Ct)));

        var won = claims.Where(c => c is not null).Select(c => c!).ToList();
        Assert.Equal(3, won.Count);
        Assert.Equal(3, won.Select(c => c.Id).Distinct().Count());
        Assert.Equal(3, won.Select(c => c.UserId).Distinct().Count());
        foreach (var claim in won)
        {
            var stored = await sessions.GetAsync(claim.Id, Ct);
            Assert.Equal(claim.UserId, stored!.UserId);
            Assert.False(stored.Pooled);
        }

        server.Engine.ReleaseApplies();
    }

    [Fact]
    public async Task FailedPoolStarts_AreRetriedWithBackoff_NotInALoop_AndShownToAdmins()
    {
        var engine = new FakeLabEngine { ApplyFailure = new LabOrchestrator.Engines.EngineException("image localhost/lab-base:latest not found") };
        await using var server = await PoolServer.StartAsync(Ct, engine: engine);
        await server.PublishAsync("pooled", 1, Ct);
        await PoolServer.WaitUntilAsync(async () => (await server.PoolAsync("pooled", Ct)).GetProperty("consecutiveFailures").GetInt32() == 1,
            "the first failure", Ct);

        var status = await server.PoolAsync("pooled", Ct);
        Assert.Equal(server.Clock.GetUtcNow().AddSeconds(30), status.GetProperty("nextAttemptAt").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(status.GetProperty("lastFailureReason").GetString()));
        Assert.Contains("not found", status.GetProperty("lastFailureDetail").GetString(), StringComparison.Ordinal);
        // Periods pass inside the back-off: no new attempt.
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        await Task.Delay(200, Ct);
        Assert.Single(engine.Applies);
        // The failed session stays visible to admins, stopped, with its reason; it counts nowhere.
        var all = await server.Admin.GetFromJsonAsync<JsonElement>("/api/sessions?state=Stopped", Ct);
        Assert.Contains(all.EnumerateArray(), s => s.GetProperty("pooled").GetBoolean() || s.GetProperty("userId").GetString() == PoolOwner.UserId);

        server.Clock.Advance(TimeSpan.FromSeconds(10));
        await PoolServer.WaitUntilAsync(async () => (await server.PoolAsync("pooled", Ct)).GetProperty("consecutiveFailures").GetInt32() == 2,
            "the second failure", Ct);
        Assert.Equal(2, engine.Applies.Count);
        Assert.Equal(server.Clock.GetUtcNow().AddSeconds(60), (await server.PoolAsync("pooled", Ct)).GetProperty("nextAttemptAt").GetDateTimeOffset());

        engine.ApplyFailure = null;
        server.Clock.Advance(TimeSpan.FromSeconds(60));
        await server.WaitForPoolAsync("pooled", 1, Ct);
        server.Clock.Advance(TimeSpan.FromSeconds(10));
        await PoolServer.WaitUntilAsync(async () => (await server.PoolAsync("pooled", Ct)).GetProperty("consecutiveFailures").GetInt32() == 0,
            "the back-off to end after a success", Ct);
    }

    private static string Password(JsonElement session) =>
        Assert.Single(session.GetProperty("credentials").EnumerateArray()).GetProperty("password").GetString()!;
}
