using System.Net.Http.Json;
using System.Text.Json;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class AccountsOpenApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenApiDocument_DescribesAccountAndAuditEndpoints_WithTagsAndRequestBodies()
    {
        await using var server = await AccountsServer.StartAsync(Ct);
        using var client = server.Anonymous();

        var paths = (await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Ct)).GetProperty("paths");

        var login = paths.GetProperty("/api/auth/login").GetProperty("post");
        Assert.Equal("login", login.GetProperty("operationId").GetString());
        Assert.Equal("auth", login.GetProperty("tags")[0].GetString());
        Assert.True(login.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(login.GetProperty("responses").TryGetProperty("429", out _));
        Assert.Equal("users", paths.GetProperty("/api/users/{id}").GetProperty("delete").GetProperty("tags")[0].GetString());
        Assert.Equal("me", paths.GetProperty("/api/me/tokens").GetProperty("post").GetProperty("tags")[0].GetString());
        Assert.Equal("audit", paths.GetProperty("/api/audit").GetProperty("get").GetProperty("tags")[0].GetString());
    }
}
