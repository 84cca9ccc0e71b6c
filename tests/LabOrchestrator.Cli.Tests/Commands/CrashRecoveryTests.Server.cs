using System.Net.Http.Json;
using System.Text.Json;

namespace LabOrchestrator.Cli.Tests.Commands;

/// <summary>The crash cases of the server: <c>labctl serve</c> SIGKILLed mid-operation, then started again on the same database.</summary>
public sealed partial class CrashRecoveryTests
{
    public static readonly TheoryData<string> ServerCases = new("start, once a pod exists", "stop, once the session is Stopping");

    /// <summary>
    /// The same for the server: <c>labctl serve</c> SIGKILLed while it starts or stops a session for a learner's API call,
    /// then started again on the same database. Its reconciler (short heartbeats here, so a dead owner is seen at once)
    /// must leave nothing in Podman and the session Failed or Stopped.
    /// </summary>
    [Theory]
    [MemberData(nameof(ServerCases))]
    public async Task Restart_AfterTheServerWasKilled_LeavesNoOrphansAndATrueState(string name)
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        var stopping = name.StartsWith("stop", StringComparison.Ordinal);
        var (server, address) = await StartServerAsync();
        string? sessionId = null;
        try
        {
            using var admin = await SignInAsync(address);
            var start = await admin.PostAsync("/api/sessions", JsonContent("{\"lab\":\"two-hosts\"}"), Ct);
            Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync(Ct));
            sessionId = JsonDocument.Parse(await start.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
            var id = sessionId;
            if (stopping)
            {
                await WaitUntilAsync(async () => await StateAsync(id) == "Running");
                _ = admin.PostAsync($"/api/sessions/{id}/stop", null, Ct);
                await WaitUntilAsync(async () => await StateAsync(id) == "Stopping");
            }
            else
            {
                await WaitUntilAsync(async () => (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Length > 0);
            }

            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(Ct);
            server.Dispose();
            (server, _) = await StartServerAsync();

            await WaitForServerAsync(async () => await StateAsync(id) is "Failed" or "Stopped");

            Assert.Equal(stopping ? "Stopped" : "Failed", await StateAsync(id));
            Assert.Empty(await LeftoversAsync(id));
        }
        finally
        {
            await KillAsync(server);
            if (sessionId is not null)
            {
                await labctl.RunAsync("session", "stop", sessionId);
            }
        }
    }

    /// <summary>
    /// A learner's pause through the API, the server SIGKILLed once a pod is paused and before the row says Paused: after a
    /// restart its reconciler thaws every node (the row says Running), and the learner can pause and resume it again.
    /// </summary>
    [Fact]
    public async Task Restart_AfterTheServerWasKilledDuringAPause_LeavesTheSessionRunningAndUsable()
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        var (server, address) = await StartServerAsync();
        string? sessionId = null;
        try
        {
            using (var admin = await SignInAsync(address))
            {
                var start = await admin.PostAsync("/api/sessions", JsonContent("{\"lab\":\"two-hosts\"}"), Ct);
                Assert.True(start.IsSuccessStatusCode, await start.Content.ReadAsStringAsync(Ct));
                sessionId = JsonDocument.Parse(await start.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetString()!;
                var id = sessionId;
                await WaitUntilAsync(async () => await StateAsync(id) == "Running");
                for (var attempt = 1; ; attempt++)
                {
                    var pause = admin.PostAsync($"/api/sessions/{id}/pause", null, Ct);
                    var held = await HoldWritesOnceLeasedAsync(id, "Running");
                    if (held is null)
                    {
                        // The pause finished before the lock: put the session back and try again.
                        Assert.True(attempt < 5, "The pause finished before the kill point five times in a row.");
                        TestContext.Current.TestOutputHelper?.WriteLine($"Attempt {attempt}: the pause finished before the lock; again.");
                        Assert.True((await pause).IsSuccessStatusCode);
                        Assert.True((await admin.PostAsync($"/api/sessions/{id}/resume", null, Ct)).IsSuccessStatusCode);
                        continue;
                    }

                    try
                    {
                        await WaitUntilAsync(async () => (await PodStatusesAsync(id)).Contains("Paused"));
                        server.Kill(entireProcessTree: true);
                        await server.WaitForExitAsync(Ct);
                    }
                    finally
                    {
                        await ReleaseAsync(held);
                    }

                    try
                    {
                        await pause;
                    }
                    catch (HttpRequestException)
                    {
                        // The server died under the request, as it should.
                    }

                    break;
                }
            }

            server.Dispose();
            (server, address) = await StartServerAsync();
            await WaitForServerAsync(async () => await ReadLeaseAsync(sessionId) is ("Running", null)
                && (await PodStatusesAsync(sessionId)).All(s => s == "Running"));

            Assert.Equal(["Running", "Running"], await PodStatusesAsync(sessionId));
            using var learner = await SignInAsync(address);
            var paused = await learner.PostAsync($"/api/sessions/{sessionId}/pause", null, Ct);
            Assert.True(paused.IsSuccessStatusCode, await paused.Content.ReadAsStringAsync(Ct));
            Assert.Equal(["Paused", "Paused"], await PodStatusesAsync(sessionId));
            var resumed = await learner.PostAsync($"/api/sessions/{sessionId}/resume", null, Ct);
            Assert.True(resumed.IsSuccessStatusCode, await resumed.Content.ReadAsStringAsync(Ct));
            Assert.Equal("Running", (await resumed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());
            Assert.Equal(["Running", "Running"], await PodStatusesAsync(sessionId));
        }
        finally
        {
            await KillAsync(server);
            if (sessionId is not null)
            {
                await labctl.RunAsync("session", "stop", sessionId);
            }
        }
    }

    /// <summary>
    /// A warm pool's refill is a start the server runs for the pool user: SIGKILLed once a pod of it exists, the restarted
    /// server ends that start (its objects removed, the session Stopped, as the pool stops the pool sessions that failed
    /// or were left half-way) and starts a new one, so the pool is back to its size. Emptied, the pool leaves nothing.
    /// </summary>
    [Fact]
    public async Task Restart_AfterTheServerWasKilledDuringAPoolRefill_EndsThatStartAndRefillsThePool()
    {
        Assert.Equal(0, (await labctl.RunAsync("lab", "import", RepositoryRoot.Lab("two-hosts"))).ExitCode);
        var (server, address) = await StartServerAsync();
        var size = 0;
        try
        {
            string? killed = null;
            using (var admin = await SignInAsync(address))
            {
                Assert.True((await admin.PostAsync("/api/labs/two-hosts/publish", null, Ct)).IsSuccessStatusCode);
                // A refill that came up before the lock proves nothing: a larger pool starts another one to kill.
                for (size = 1; killed is null; size++)
                {
                    Assert.True(size <= 3, "Every refill finished before the kill point.");
                    var put = await admin.PutAsJsonAsync("/api/labs/two-hosts/pool", new { size }, Ct);
                    Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(Ct));
                    string? refill = null;
                    await WaitUntilAsync(async () => (refill = await PoolSessionWithAPodAsync()) is not null);
                    var held = await HoldWritesWhileAsync(refill!, "Starting");
                    if (held is null)
                    {
                        TestContext.Current.TestOutputHelper?.WriteLine($"Pool size {size}: the refill came up before the lock; one more.");
                        await WaitUntilAsync(async () => await StateAsync(refill!) == "Running");
                        continue;
                    }

                    try
                    {
                        server.Kill(entireProcessTree: true);
                        await server.WaitForExitAsync(Ct);
                        killed = refill;
                    }
                    finally
                    {
                        await ReleaseAsync(held);
                    }
                }

                size--;
            }

            server.Dispose();
            (server, address) = await StartServerAsync();
            var killedId = killed!;
            await WaitForServerAsync(async () => await StateAsync(killedId) == "Stopped");
            Assert.Empty(await LeftoversAsync(killedId));

            using var again = await SignInAsync(address);
            await WaitForServerAsync(async () => await PoolAsync(again) == (size, 0));
            var pool = (await SessionsAsync("~pool")).Where(s => s.State is not ("Stopped" or "Failed")).ToList();
            Assert.Equal(size, pool.Count);
            Assert.All(pool, s => Assert.Equal("Running", s.State));
            Assert.DoesNotContain(killedId, pool.Select(s => s.Id));

            var empty = await again.PutAsJsonAsync("/api/labs/two-hosts/pool", new { size = 0 }, Ct);
            Assert.True(empty.IsSuccessStatusCode, await empty.Content.ReadAsStringAsync(Ct));
            await WaitForServerAsync(async () => (await SessionsAsync()).All(s => s.State is "Stopped" or "Failed"));
            foreach (var (id, _) in await SessionsAsync())
            {
                Assert.Empty(await LeftoversAsync(id));
            }
        }
        finally
        {
            await KillAsync(server);
            // Whatever a failure left: every session stopped, then anything else of this database removed.
            foreach (var (id, state) in await SessionsAsync())
            {
                if (state != "Stopped")
                {
                    await labctl.RunAsync("session", "stop", id);
                }
            }

            await labctl.RunAsync("session", "reconcile", "--stale-after", "0s");
        }
    }

    /// <summary>A session of the pool user with a pod in Podman, or null.</summary>
    private async Task<string?> PoolSessionWithAPodAsync()
    {
        foreach (var (id, state) in await SessionsAsync("~pool"))
        {
            if (state is "Pending" or "Starting" && (await PodmanAsync("pod", "ps", "-q", "--filter", Label(id))).Length > 0)
            {
                return id;
            }
        }

        return null;
    }

    private static async Task<(int Ready, int Starting)> PoolAsync(HttpClient admin)
    {
        var pool = await admin.GetFromJsonAsync<JsonElement>("/api/labs/two-hosts/pool", Ct);
        return (pool.GetProperty("ready").GetInt32(), pool.GetProperty("starting").GetInt32());
    }
}
