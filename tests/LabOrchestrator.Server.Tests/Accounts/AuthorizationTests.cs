using System.Net;
using LabOrchestrator.Server.Accounts;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class AuthorizationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AccountAndAuditEndpoints_WithoutLogin_Answer401()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var client = server.Anonymous();

        foreach (var path in new[] { "/api/users", "/api/me/tokens", "/api/audit", "/api/me", "/api/auth/me", "/api/auth/csrf" })
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} answered {response.StatusCode}");
        }
    }

    [Fact]
    public async Task UserAdminAndAudit_ForLearnersAndInstructors_Answer403()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        var (learner, _) = await server.UserAsync("lena", Roles.Learner, Ct);
        var (instructor, _) = await server.UserAsync("ivan", Roles.Instructor, Ct);

        foreach (var client in new[] { learner, instructor })
        {
            using var users = await client.GetAsync("/api/users", Ct);
            using var audit = await client.GetAsync("/api/audit", Ct);
            using var create = await client.SendAsync(AccountsServer.Json(HttpMethod.Post, "/api/users", new { id = "x", password = "long-enough-1" }), Ct);
            using var delete = await client.DeleteAsync("/api/users/admin", Ct);

            Assert.Equal(HttpStatusCode.Forbidden, users.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }
    }

    [Fact]
    public async Task UnknownBearerToken_Answers401()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", "lot_not-a-real-token");

        using var response = await client.GetAsync("/api/me", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
