using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Labs;

namespace LabOrchestrator.Server.Tests.Pools;

/// <summary>The pool settings API: who may change a pool, and clear problems for bad requests.</summary>
public sealed class PoolApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PutPool_WithBadBodies_Is400NamingTheField()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        await server.PublishAsync("pooled", null, Ct);

        foreach (var (body, field, words) in new[]
        {
            ("""{"size": -1}""", "size", "whole number from 0 to 100"),
            ("""{"size": 101}""", "size", "whole number from 0 to 100"),
            ("""{"size": "2"}""", "size", "found \"2\""),
            ("""{"size": 1.5}""", "size", "whole number"),
            ("""{"sise": 2}""", "sise", "Unknown field 'sise'"),
            ("[2]", "$", "JSON object"),
        })
        {
            var response = await server.Admin.PutAsync("/api/labs/pooled/pool", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await LabsApi.ProblemAsync(response, Ct);
            Assert.Contains(words, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), body);
        }

        var broken = await server.Admin.PutAsync("/api/labs/pooled/pool", new StringContent("{\"size\":", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    [Fact]
    public async Task PutPool_IsForAdmins_AndGetForInstructors_NeverLearners()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        await server.PublishAsync("pooled", 1, Ct);
        var (instructor, _) = await server.Host.UserAsync("ines", Roles.Instructor, Ct);
        var (learner, _) = await server.Host.UserAsync("lea", Roles.Learner, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, (await instructor.PutAsJsonAsync("/api/labs/pooled/pool", new { size = 3 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await instructor.GetAsync("/api/labs/pooled/pool", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.GetAsync("/api/labs/pooled/pool", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await learner.GetAsync("/api/pools", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.PutAsJsonAsync("/api/labs/nope/pool", new { size = 1 }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Admin.GetAsync("/api/labs/nope/pool", Ct)).StatusCode);
    }

    [Fact]
    public async Task PutPool_OnALabWithAGeneratedPasswordOnAVmNode_Is422SayingWhy()
    {
        await using var server = await PoolServer.StartAsync(Ct);
        var yaml = """
            name: vmlab
            nodes:
              - name: vm
                kind: vm
                image: localhost/vm-tiny:latest
                credentials:
                  - name: root
                    username: root
                    password: generate
            """;
        Assert.True((await LabsApi.PutAsync(server.Admin, "vmlab", yaml, Ct)).IsSuccessStatusCode);

        var response = await server.Admin.PutAsJsonAsync("/api/labs/vmlab/pool", new { size = 2 }, Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await LabsApi.ProblemAsync(response, Ct);
        Assert.Contains("node 'vm' is a VM with a generated password", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.GetProperty("errors").TryGetProperty("size", out _));
        var status = await server.PoolAsync("vmlab", Ct);
        Assert.Equal(0, status.GetProperty("size").GetInt32());
        Assert.Contains("VM", status.GetProperty("notPoolable").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, status.TryGetProperty("overrideSize", out var o) ? o.ValueKind : JsonValueKind.Null);
    }
}
