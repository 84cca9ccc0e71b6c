using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Engines;
using LabOrchestrator.Pools;
using LabOrchestrator.Server.Tests.Sessions;
using LabOrchestrator.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Pools;

/// <summary>Every session that becomes Running opens its first terminal's shell ahead, for the learner's first terminal only.</summary>
public sealed class PreparedTerminalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ColdStart_OpensTheFirstTerminalAtRunning_WhichOnlyTheFirstLoginShellOfItsUserGets()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        var (learner, _) = await server.LearnerAsync("lea", Ct);
        await server.PublishAsync("plain", null, Ct);

        var id = await StartAsync(learner);

        var prepared = Assert.Single(server.Engine.Terminals, t => t.SessionId == id);
        Assert.Equal("box", prepared.Node);
        Assert.False(prepared.IsClosed);
        var sessions = server.Host.Services.GetRequiredService<ISessionService>();
        // Another node, another user or another command than the prepared login shell never gets it.
        Assert.NotSame(prepared, await sessions.OpenTerminalAsync(id, "peer", new TerminalOptions(), Ct));
        Assert.NotSame(prepared, await sessions.OpenTerminalAsync(id, "box", new TerminalOptions { User = "root" }, Ct));
        Assert.NotSame(prepared, await sessions.OpenTerminalAsync(id, "box", new TerminalOptions { Command = ["top"] }, Ct));
        var first = await sessions.OpenTerminalAsync(id, "box", new TerminalOptions { Columns = 100, Rows = 30 }, Ct);
        Assert.Same(prepared, first);
        Assert.Equal(((ushort)100, (ushort)30), prepared.Size);
        Assert.NotSame(first, await sessions.OpenTerminalAsync(id, "box", new TerminalOptions(), Ct));
    }

    [Fact]
    public async Task PreparedTerminal_OfAColdStart_NotTakenWithinItsLifetime_IsClosed()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        var (learner, _) = await server.LearnerAsync("lea", Ct);
        await server.PublishAsync("plain", null, Ct);
        var id = await StartAsync(learner);
        var unused = Assert.Single(server.Engine.Terminals, t => t.SessionId == id);

        server.Clock.Advance(PreparedTerminals.Lifetime);

        Assert.True(unused.IsClosed);
    }

    private static async Task<string> StartAsync(HttpClient learner)
    {
        var start = await SessionsApi.StartAsync(learner, "plain", Ct);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        var events = await SessionsApi.FollowAsync(learner, id, Ct);
        Assert.Equal("Running", events[^1].GetProperty("state").GetString());
        return id;
    }
}
