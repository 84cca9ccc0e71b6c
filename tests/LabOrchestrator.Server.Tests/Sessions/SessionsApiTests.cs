using System.Net;
using System.Net.Http.Json;
using System.Text;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Hosting;
using LabOrchestrator.Server.Tests.Labs;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.Extensions.Options;

namespace LabOrchestrator.Server.Tests.Sessions;

/// <summary>Sessions API answers that need no running session (no Podman containers are started).</summary>
public sealed class SessionsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Start_UnknownLab_Returns404Problem()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);

        var response = await SessionsApi.StartAsync(learner, "no-such-lab", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-lab", (await LabsApi.ProblemAsync(response, Ct)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnpublishedLabByLearner_Returns404()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (instructor, _) = await server.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);
        await LabsApi.PutAsync(instructor, "demo", LabYaml.Valid("demo"), Ct);

        var response = await SessionsApi.StartAsync(learner, "demo", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await learner.GetFromJsonAsync<List<object>>("/api/sessions", Ct) ?? []);
    }

    [Theory]
    [InlineData("{\"lab\": ")]
    [InlineData("{\"lab\": 42}")]
    [InlineData("not json")]
    [InlineData("{}")]
    public async Task Start_MalformedJson_Returns400Problem(string body)
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);

        var response = await learner.PostAsync("/api/sessions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await LabsApi.ProblemAsync(response, Ct);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("errors", out _));
        Assert.DoesNotContain("   at ", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSession_Returns404Problem_AndBadStateFilter400()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        var (learner, _) = await server.UserAsync("lea", Roles.Learner, Ct);

        var get = await learner.GetAsync("/api/sessions/nope", Ct);
        var stop = await learner.DeleteAsync("/api/sessions/nope", Ct);
        var events = await learner.GetAsync("/api/sessions/nope/events", Ct);
        var filter = await learner.GetAsync("/api/sessions?state=sleeping", Ct);

        Assert.All([get, stop, events], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.Equal("application/problem+json", events.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, filter.StatusCode);
    }

    [Fact]
    public async Task Anonymous_GetsUnauthorized()
    {
        await using var server = await ServerHost.StartAsync(cancellationToken: Ct);
        using var anonymous = server.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sessions", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SessionsApi.StartAsync(anonymous, "two-hosts", Ct)).StatusCode);
    }

    [Fact]
    public async Task BadQuotaSetting_FailsAtStartUp_NamingTheSetting()
    {
        var folder = Directory.CreateTempSubdirectory("labo-server-").FullName;
        try
        {
            var database = Path.Combine(folder, "server.db");

            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LabServer.BuildAsync(
                ["--Server:Urls=http://127.0.0.1:0", $"--LabOrchestrator:DatabasePath={database}", "--Quotas:PerUser=0"],
                cancellationToken: Ct));

            Assert.Contains("Quotas:PerUser", error.Message, StringComparison.Ordinal);
            // Nothing is written before the settings are known to be good: no database, no first admin.
            Assert.False(File.Exists(database));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
