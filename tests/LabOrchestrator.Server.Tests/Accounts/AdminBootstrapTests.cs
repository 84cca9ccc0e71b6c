using System.Net;
using LabOrchestrator.Persistence;
using LabOrchestrator.Server.Accounts;
using LabOrchestrator.Server.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LabOrchestrator.Server.Tests.Accounts;

public sealed class AdminBootstrapTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstStart_CreatesAdminWithConfiguredPassword_AndASecondStartOnTheSameDatabaseCreatesNothing()
    {
        var folder = Directory.CreateTempSubdirectory("labo-bootstrap-").FullName;
        try
        {
            var database = Path.Combine(folder, "server.db");
            await using (var first = await ServerHost.StartAsync(Settings(database, "first-admin-password"), Ct))
            {
                using var login = await AccountsServer.PostLoginAsync(first.Anonymous(), "admin", "first-admin-password", Ct);
                Assert.Equal(HttpStatusCode.OK, login.StatusCode);
                var admin = await first.Services.GetRequiredService<IAccountService>().GetUserAsync("admin", Ct);
                Assert.Equal(Roles.Admin, admin?.Role);
            }

            await using var second = await ServerHost.StartAsync(Settings(database, "second-admin-password"), Ct);
            using var oldPassword = await AccountsServer.PostLoginAsync(second.Anonymous(), "admin", "first-admin-password", Ct);
            using var newPassword = await AccountsServer.PostLoginAsync(second.Anonymous(), "admin", "second-admin-password", Ct);

            Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, newPassword.StatusCode);
            Assert.Single(await second.Services.GetRequiredService<IAccountService>().ListUsersAsync(Ct));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task EmptyDatabase_WithoutConfiguredPassword_PrintsARandomPasswordOnce_ThatLogsIn()
    {
        await using var server = await ServerHost.StartAsync(new Dictionary<string, string?> { ["Auth:AdminPassword"] = "" }, Ct);
        var contexts = server.Services.GetRequiredService<IDbContextFactory<LabOrchestratorDbContext>>();

        // The start already printed to the real console; empty the user table to watch a first start on a writer of our own.
        await using (var db = await contexts.CreateDbContextAsync(Ct))
        {
            await db.Users.ExecuteDeleteAsync(Ct);
        }

        using var firstOutput = new StringWriter();
        using var secondOutput = new StringWriter();
        var created = await AdminBootstrap.EnsureAdminAsync(server.Services, firstOutput, Ct);
        var createdAgain = await AdminBootstrap.EnsureAdminAsync(server.Services, secondOutput, Ct);
        var password = firstOutput.ToString().Split('\n').Single(l => l.Contains("password:", StringComparison.Ordinal)).Split(':')[1].Trim();
        using var login = await AccountsServer.PostLoginAsync(server.Anonymous(), "admin", password, Ct);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Contains("shown only this once", firstOutput.ToString(), StringComparison.Ordinal);
        Assert.True(password.Length >= 20);
        Assert.Empty(secondOutput.ToString());
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private static Dictionary<string, string?> Settings(string database, string adminPassword) => new()
    {
        ["LabOrchestrator:DatabasePath"] = database,
        ["Auth:AdminPassword"] = adminPassword,
    };
}
