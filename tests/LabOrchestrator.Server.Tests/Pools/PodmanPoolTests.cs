using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Engines;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Server.Tests.Support;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Pools;

/// <summary>A warm pool on real Podman: only the engine can prove that the claimed password is the one in force in the node.</summary>
[Collection(PodmanSessions.Name)]
public sealed class PodmanPoolTests
{
    // Checks a password against the node's /etc/shadow (perl is essential in Debian; crypt() knows yescrypt).
    private const string CheckPassword =
        "my $h = (getpwnam('learner'))[1]; print((crypt($ARGV[0], $h) eq $h) ? 'match' : 'mismatch')";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClaimedSession_OnPodman_HasTheNewPasswordInForce_NotThePools_AndItsFirstTerminalOpens()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Pools:RefillPeriod"] = "00:00:01" }, Ct);
        var (admin, _) = await server.UserAsync("ada", Roles.Admin, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        var sessions = server.Services.GetRequiredService<ISessionService>();
        try
        {
            Assert.True((await LabsApi.PutAsync(admin, "pooled", PoolServer.Lab("pooled", 1), Ct)).IsSuccessStatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/labs/pooled/publish", null, Ct)).StatusCode);
            await WaitAsync(admin, ready: 1);
            var pool = await admin.GetFromJsonAsync<JsonElement>("/api/sessions?user=~pool&state=Running", Ct);
            var poolId = pool[0].GetProperty("id").GetString()!;
            var oldPassword = Password(await admin.GetFromJsonAsync<JsonElement>($"/api/sessions/{poolId}", Ct));
            Assert.Equal("match", await CheckAsync(sessions, poolId, oldPassword));

            var start = await SessionsApi.StartAsync(learner, "pooled", Ct);
            var claimed = await start.Content.ReadFromJsonAsync<JsonElement>(Ct);

            Assert.Equal(poolId, claimed.GetProperty("id").GetString());
            Assert.Equal("Running", claimed.GetProperty("state").GetString());
            var newPassword = Password(claimed);
            Assert.NotEqual(oldPassword, newPassword);
            Assert.Equal("match", await CheckAsync(sessions, poolId, newPassword));
            Assert.Equal("mismatch", await CheckAsync(sessions, poolId, oldPassword));
            // The first terminal is the one the claim opened ahead; it and a second one are each a working shell of their own.
            await using var terminal = await sessions.OpenTerminalAsync(poolId, "box", new TerminalOptions { Columns = 100, Rows = 30 }, Ct);
            await using var second = await sessions.OpenTerminalAsync(poolId, "box", new TerminalOptions(), Ct);
            await TypeAsync(terminal, "stty size; echo first-$((40+2))\r", "30 100");
            await TypeAsync(second, "echo second-$((40+2))\r", "second-42");
            await TypeAsync(terminal, "echo again-$((40+2))\r", "again-42");
            await terminal.DisposeAsync();
            await second.DisposeAsync();
            var stop = await learner.DeleteAsync($"/api/sessions/{poolId}", Ct);
            Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        }
        finally
        {
            // Empty the pool first, so that no refill starts while the host stops the sessions it ran.
            await admin.PutAsJsonAsync("/api/labs/pooled/pool", new { size = 0 }, CancellationToken.None);
            await WaitAsync(admin, ready: 0);
        }
    }

    private static async Task WaitAsync(HttpClient admin, int ready) =>
        await PoolServer.WaitUntilAsync(async () =>
        {
            var pool = await admin.GetFromJsonAsync<JsonElement>("/api/labs/pooled/pool", CancellationToken.None);
            return pool.GetProperty("ready").GetInt32() == ready && pool.GetProperty("starting").GetInt32() == 0;
        }, $"{ready} ready pool sessions", CancellationToken.None, TimeSpan.FromMinutes(3));

    /// <summary>Types <paramref name="line"/> into the terminal and reads until <paramref name="expected"/> shows.</summary>
    private static async Task TypeAsync(ITerminalStream terminal, string line, string expected)
    {
        await terminal.Input.WriteAsync(System.Text.Encoding.UTF8.GetBytes(line), Ct);
        await terminal.Input.FlushAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var seen = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains(expected, StringComparison.Ordinal))
        {
            var read = await terminal.Output.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"The shell ended before printing '{expected}': {seen}");
            seen.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    private static async Task<string> CheckAsync(ISessionService sessions, string id, string password)
    {
        var result = await sessions.ExecAsync(id, "box", ["perl", "-e", CheckPassword, password], TimeSpan.FromSeconds(30), Ct);
        Assert.Equal(0, result.ExitCode);
        return result.StandardOutput.Trim();
    }

    private static string Password(JsonElement session) =>
        Assert.Single(session.GetProperty("credentials").EnumerateArray()).GetProperty("password").GetString()!;
}
