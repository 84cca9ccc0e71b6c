using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Support;

namespace LabOrchestrator.Server.Tests.Sessions;

/// <summary>The server on <see cref="FakeLabEngine"/>: session rules without Podman.</summary>
public sealed class FakeEngineSessionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Learner_StartsAndStopsOnTheFakeEngine_AndTheEngineHoldsNothingAfterwards()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "two-hosts", Ct);

        var start = await SessionsApi.StartAsync(learner, "two-hosts", Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        var events = await SessionsApi.FollowAsync(learner, id, Ct);

        Assert.Equal("Running", events[^1].GetProperty("state").GetString());
        Assert.Equal("fake", events[^1].GetProperty("engine").GetString());
        Assert.True(engine.Holds(id));
        var stop = await learner.DeleteAsync($"/api/sessions/{id}", Ct);
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Equal("Stopped", (await stop.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());
        Assert.False(engine.Holds(id));
    }

    [Fact]
    public async Task Check_WhoseEngineCallFails_IsAPlain503ForTheLearner_NeverA500OrTheEnginesWords()
    {
        var engine = new FakeLabEngine();
        await using var server = await ServerHost.StartWithFakeEngineAsync(engine, cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await SessionsApi.PublishRepositoryLabAsync(instructor, "hello-linux", Ct);
        var start = await SessionsApi.StartAsync(learner, "hello-linux", Ct);
        var id = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
        await SessionsApi.FollowAsync(learner, id, Ct);
        engine.ExecHandler = (_, _, _) => throw new Engines.EngineException("OCI runtime exec failed: container is not running");

        var check = await learner.PostAsync($"/api/sessions/{id}/guide/steps/make-folder/check", null, Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, check.StatusCode);
        Assert.Equal("application/problem+json", check.Content.Headers.ContentType?.MediaType);
        var body = await check.Content.ReadAsStringAsync(Ct);
        Assert.Contains("could not do what was asked", body, StringComparison.Ordinal);
        Assert.DoesNotContain("OCI", body, StringComparison.Ordinal);
    }
}
