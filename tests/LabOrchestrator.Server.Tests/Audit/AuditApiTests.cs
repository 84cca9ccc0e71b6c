using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Audit;
using LabOrchestrator.Server.Tests.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Audit;

public sealed class AuditApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Admin_ReadsEntriesNewestFirst_FilteredByUserSessionAndAction()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);
        var log = server.Services.GetRequiredService<IAuditLog>();
        await log.RecordAsync(null, AuditActions.SessionStarted, userId: "lena", sessionId: "s1", cancellationToken: Ct);
        await log.RecordAsync(null, AuditActions.ConsoleOpened, userId: "lena", sessionId: "s1", target: "web", cancellationToken: Ct);
        await log.RecordAsync(null, AuditActions.SessionStarted, userId: "bob", sessionId: "s2", cancellationToken: Ct);
        await log.RecordAsync(null, AuditActions.SessionStopped, userId: "lena", sessionId: "s1", cancellationToken: Ct);

        var lenas = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?user=lena", Ct);
        var s1Started = await admin.GetFromJsonAsync<JsonElement[]>($"/api/audit?session=s1&action={AuditActions.SessionStarted}", Ct);
        var newest = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?limit=1", Ct);

        Assert.Equal([AuditActions.SessionStopped, AuditActions.ConsoleOpened, AuditActions.SessionStarted], lenas!.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("web", lenas![1].GetProperty("target").GetString());
        Assert.Equal("lena", Assert.Single(s1Started!).GetProperty("userId").GetString());
        Assert.Equal(AuditActions.SessionStopped, Assert.Single(newest!).GetProperty("action").GetString());
    }

    [Fact]
    public async Task AccountChanges_AreAuditedWithTheActorAndTheTarget()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);

        await admin.PostAsJsonAsync("/api/users", new { id = "bob", password = "bobs-password" }, Ct);
        await admin.DeleteAsync("/api/users/bob", Ct);
        var entries = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?user=root", Ct);

        Assert.Equal([AuditActions.UserDeleted, AuditActions.UserCreated], entries!.Select(e => e.GetProperty("action").GetString()));
        Assert.All(entries!, e => Assert.Equal("bob", e.GetProperty("target").GetString()));
        Assert.All(entries!, e => Assert.Equal("127.0.0.1", e.GetProperty("remoteAddress").GetString()));
    }

    [Fact]
    public async Task LimitOutOfRange_Answers400WithErrorsLimit()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (admin, _) = await server.UserAsync("root", Roles.Admin, Ct);

        using var response = await admin.GetAsync("/api/audit?limit=0", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await AccountsServer.ProblemAsync(response, Ct)).GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Theory]
    [InlineData(Roles.Learner)]
    [InlineData(Roles.Instructor)]
    public async Task LearnersAndInstructors_CannotReadTheAuditLog(string role)
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (client, _) = await server.UserAsync("someone", role, Ct);

        using var response = await client.GetAsync("/api/audit", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
